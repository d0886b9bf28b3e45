package dev.asyncrpc;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.asyncrpc.test.RawConnection;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** One thread keeps 100,000 calls outstanding (problem 1 of the mission). */
class ManyPendingCallsTests {

    static final int CALLS = 100_000;

    @RemoteService("hold")
    interface Hold {
        @AsyncRemote
        AsyncCall<Integer> take(int n);
    }

    @RemoteService("hold")
    interface HoldEndpoint {
        @AsyncRemote
        CompletableFuture<Integer> take(int n);
    }

    /** Holds every reply until {@link #CALLS} calls have arrived. */
    static final class Holder implements HoldEndpoint {
        final List<CompletableFuture<Integer>> held = new ArrayList<>(CALLS);
        final CountDownLatch all = new CountDownLatch(CALLS);
        final AtomicLong firstReleaseNanos = new AtomicLong();

        @Override
        public synchronized CompletableFuture<Integer> take(int n) {
            CompletableFuture<Integer> f = new CompletableFuture<>();
            this.held.add(f);
            int[] value = { n };
            this.all.countDown();
            return f.thenApply(v -> value[0]);
        }

        synchronized void releaseAll() {
            this.firstReleaseNanos.set(System.nanoTime());
            for (CompletableFuture<Integer> f : this.held) {
                f.complete(0);
            }
        }
    }

    @Test
    void oneThreadIssues100000CallsThatAllCompleteAfterTheServerReleasesThem() throws Exception {
        Holder holder = new Holder();
        try (AsyncRpcServer server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(holder)
                .maxConcurrentCalls(CALLS).maxCallsInProgress(CALLS).build().start();
                AsyncRpcClient client = AsyncRpcClient.builder().address(server.address()).build()) {
            Hold hold = client.proxy(Hold.class);
            AsyncCall<Integer>[] calls = newArray(CALLS);
            long start = System.nanoTime();
            long slowestIssue = 0;
            for (int i = 0; i < CALLS; i++) {
                long t = System.nanoTime();
                calls[i] = hold.take(i);
                slowestIssue = Math.max(slowestIssue, System.nanoTime() - t);
            }
            long loopEnd = System.nanoTime();
            System.out.printf("issued %,d calls from one thread in %d ms (slowest issue %.2f ms)%n", CALLS,
                    (loopEnd - start) / 1_000_000, slowestIssue / 1e6);
            assertThat(calls[CALLS - 1].state()).isEqualTo(CallState.PENDING);

            assertThat(holder.all.await(60, TimeUnit.SECONDS)).as("all calls arrived at the server").isTrue();
            assertThat(calls[0].state()).isEqualTo(CallState.PENDING);
            holder.releaseAll();
            assertThat(loopEnd).isLessThan(holder.firstReleaseNanos.get());

            for (int i = 0; i < CALLS; i++) {
                assertThat(calls[i].join(Duration.ofSeconds(60))).isEqualTo(i);
            }
            System.out.printf("all %,d completed %d ms after the release%n", CALLS, (System.nanoTime() - holder.firstReleaseNanos.get()) / 1_000_000);
        }
    }

    /**
     * Client heap per pending call, measured against a hand-written server that only reads (so that
     * no server state is counted), then answers every call.
     */
    @Test
    void clientHeapPerPendingCallIsSmall() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            AtomicInteger received = new AtomicInteger();
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Void> peer = CompletableFuture.runAsync(() -> {
                try (RawConnection raw = new RawConnection(listener.accept())) {
                    raw.readFrame();
                    raw.send(RawConnection.hex(GoldenFrameTests.HELLO_ACK));
                    byte[] warmUp = raw.readFrame();
                    raw.send(reply(java.nio.ByteBuffer.wrap(warmUp, 6, 4).getInt()));
                    List<Integer> ids = new ArrayList<>(CALLS);
                    while (ids.size() < CALLS) {
                        byte[] frame = raw.readFrame();
                        ids.add(java.nio.ByteBuffer.wrap(frame, 6, 4).getInt());
                        received.incrementAndGet();
                    }
                    release.await();
                    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
                    for (int id : ids) {
                        out.writeBytes(reply(id));
                    }
                    raw.send(out.toByteArray());
                    raw.awaitClosed();
                }
                catch (Exception ex) {
                    throw new IllegalStateException(ex);
                }
            });
            try (AsyncRpcClient client = AsyncRpcClient.builder().address("127.0.0.1:" + listener.getLocalPort()).build()) {
                Hold hold = client.proxy(Hold.class);
                assertThat(hold.take(-1).join(Duration.ofSeconds(10))).isZero(); // connect and warm up before the baseline
                long before = usedHeapAfterGc();
                AsyncCall<Integer>[] calls = newArray(CALLS);
                for (int i = 0; i < CALLS; i++) {
                    calls[i] = hold.take(i);
                }
                while (received.get() < CALLS) {
                    assertThat(peer).isNotDone();
                    Thread.onSpinWait();
                }
                long after = usedHeapAfterGc();
                long perCall = (after - before) / CALLS;
                System.out.printf("client heap per pending call: %d bytes (%,d bytes for %,d calls)%n", perCall, after - before, CALLS);
                assertThat(perCall).isLessThan(1024);
                release.countDown();
                for (int i = 0; i < CALLS; i++) {
                    assertThat(calls[i].join(Duration.ofSeconds(60))).isZero();
                }
            }
            peer.get(60, TimeUnit.SECONDS);
        }
    }

    /** REPLY frame with the CBOR value 0 for {@code id}. */
    private static byte[] reply(int id) {
        return new byte[] { 0, 0, 0, 7, 0x11, 0, (byte) (id >>> 24), (byte) (id >>> 16), (byte) (id >>> 8), (byte) id, 0 };
    }

    @SuppressWarnings("unchecked")
    private static AsyncCall<Integer>[] newArray(int n) {
        return new AsyncCall[n];
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
