package dev.asyncrpc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

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
            long singleBytes = heldBytes(single, s, endpoint);
            long balancedBytes = heldBytes(balanced, b, endpoint);
            System.out.printf("balancing cost: %,.0f calls/s single-endpoint vs %,.0f calls/s balanced (%.0f%%); request bytes kept with %,d"
                    + " calls pending of a %d-character argument: %,d bytes single vs %,d bytes balanced (%,d bytes per pending call kept)%n",
                    singleRate, balancedRate, 100 * balancedRate / singleRate, HELD, ARGUMENT.length(), singleBytes, balancedBytes,
                    (balancedBytes - singleBytes) / HELD);
            assertThat(balancedRate).isGreaterThan(singleRate * 0.3);
            assertThat(singleBytes).isZero();
            assertThat(balancedBytes).as("bytes kept for %d pending calls", HELD).isGreaterThanOrEqualTo(HELD * (long) ARGUMENT.length())
                .isLessThan(HELD * 2L * ARGUMENT.length());
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

    /**
     * Request bytes the client keeps while {@link #HELD} calls are pending on the server (the
     * pool's own counters cannot tell: they count whole chunks, which earlier tests leave behind).
     */
    private static long heldBytes(AsyncRpcClient client, Cost cost, Endpoint endpoint) throws Exception {
        long before = kept(client);
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
        long during = kept(client);
        endpoint.release();
        for (CompletableFuture<Integer> f : calls) {
            f.get(30, TimeUnit.SECONDS);
        }
        assertThat(kept(client)).as("bytes kept once every call finished").isEqualTo(before);
        return during - before;
    }

    /** The binding's count of kept request bytes (read through the client's private field: not public API). */
    private static long kept(AsyncRpcClient client) throws ReflectiveOperationException {
        java.lang.reflect.Field binding = AsyncRpcClient.class.getDeclaredField("binding");
        binding.setAccessible(true);
        return ((dev.asyncrpc.internal.client.ClientBinding) binding.get(client)).keptRequestBytes();
    }
}
