package dev.asyncrpc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What balancing costs a call: a balanced client keeps each request frame until the call's outcome
 * is known (to send it again after a refusal), and sends each call as an attempt of its own. The
 * numbers are printed; the assertions only catch a cost out of proportion. Surefire runs with
 * paranoid leak detection, which slows every call: compare the two rates, not their size.
 */
class BalancingCostTests {

    private static final int HELD = 10_000;

    private static final String ARGUMENT = "x".repeat(200);

    @RemoteService("cost")
    interface Cost {

        @AsyncRemote
        CompletableFuture<Integer> quick(String s);

        @AsyncRemote
        CompletableFuture<Integer> held(String s);
    }

    static final class Endpoint implements Cost {

        final List<CompletableFuture<Integer>> holding = new CopyOnWriteArrayList<>();
        final AtomicInteger arrived = new AtomicInteger();

        @Override
        public CompletableFuture<Integer> quick(String s) {
            return CompletableFuture.completedFuture(s.length());
        }

        @Override
        public CompletableFuture<Integer> held(String s) {
            CompletableFuture<Integer> f = new CompletableFuture<>();
            this.holding.add(f);
            this.arrived.incrementAndGet();
            return f;
        }

        void release() {
            List<CompletableFuture<Integer>> all = new ArrayList<>(this.holding);
            this.holding.clear();
            all.forEach((f) -> f.complete(1));
        }
    }

    @Test
    void balancedClientsKeepRequestsUntilTheOutcomeAtAModestCost() throws Exception {
        Endpoint endpoint = new Endpoint();
        AsyncRpcServer server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(endpoint).build().start();
        try (AsyncRpcClient single = AsyncRpcClient.builder().address(server.address()).build();
                AsyncRpcClient balanced = AsyncRpcClient.builder().address(server.address()).refreshInterval(Duration.ofMinutes(10)).build()) {
            Cost s = single.proxy(Cost.class);
            Cost b = balanced.proxy(Cost.class);
            throughput(s, 10_000);
            throughput(b, 10_000);
            double singleRate = Math.max(throughput(s, 30_000), throughput(s, 30_000));
            double balancedRate = Math.max(throughput(b, 30_000), throughput(b, 30_000));
            long singleBytes = heldBytes(s, endpoint);
            long balancedBytes = heldBytes(b, endpoint);
            System.out.printf("balancing cost: %,.0f calls/s single-endpoint vs %,.0f calls/s balanced (%.0f%%); pinned pooled memory with %,d"
                    + " calls pending of a %d-character argument: %,d bytes single vs %,d bytes balanced (%,d bytes per pending call kept)%n",
                    singleRate, balancedRate, 100 * balancedRate / singleRate, HELD, ARGUMENT.length(), singleBytes, balancedBytes,
                    (balancedBytes - singleBytes) / HELD);
            assertThat(balancedRate).isGreaterThan(singleRate * 0.3);
            assertThat(balancedBytes - singleBytes).as("bytes kept for %d pending calls", HELD).isLessThan(HELD * 4096L);
        }
        finally {
            server.close();
        }
    }

    /** Calls per second with up to 1,000 in flight. */
    private static double throughput(Cost cost, int calls) throws Exception {
        long t0 = System.nanoTime();
        for (int sent = 0; sent < calls; sent += 1000) {
            List<CompletableFuture<Integer>> window = new ArrayList<>(1000);
            for (int i = 0; i < 1000; i++) {
                window.add(cost.quick("q"));
            }
            for (CompletableFuture<Integer> f : window) {
                f.get(30, TimeUnit.SECONDS);
            }
        }
        return calls / ((System.nanoTime() - t0) / 1e9);
    }

    /** Pooled memory pinned while {@link #HELD} calls are pending on the server, beyond what was pinned before. */
    private static long heldBytes(Cost cost, Endpoint endpoint) throws Exception {
        System.gc();
        long before = pinned();
        int arrivedBefore = endpoint.arrived.get();
        List<CompletableFuture<Integer>> calls = new ArrayList<>(HELD);
        for (int i = 0; i < HELD; i++) {
            calls.add(cost.held(ARGUMENT));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (endpoint.arrived.get() - arrivedBefore < HELD && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        assertThat(endpoint.arrived.get() - arrivedBefore).isEqualTo(HELD);
        long during = pinned();
        endpoint.release();
        for (CompletableFuture<Integer> f : calls) {
            f.get(30, TimeUnit.SECONDS);
        }
        return during - before;
    }

    private static long pinned() {
        PooledByteBufAllocator a = PooledByteBufAllocator.DEFAULT;
        return a.pinnedDirectMemory() + a.pinnedHeapMemory();
    }
}
