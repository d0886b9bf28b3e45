package dev.asyncrpc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Causal ordering with plain implementations: the calls of one caller thread enter the method in
 * issue order, exactly; calls that block still let the next one in; NONCAUSAL calls overlap.
 */
class PlainCausalOrderingTests {

    @RemoteService("plainseq")
    interface Seq {
        @AsyncRemote
        AsyncCall<Integer> step(int n);

        @AsyncRemote
        AsyncCall<Integer> waitForNext(int n);

        @AsyncRemote(ordering = Ordering.NONCAUSAL)
        AsyncCall<Integer> free(int n);
    }

    @RemoteService("plainseq")
    interface SeqEndpoint {
        int step(int n);

        int waitForNext(int n);

        int free(int n);
    }

    static final class Recorder implements SeqEndpoint {
        final ConcurrentLinkedQueue<Integer> entered = new ConcurrentLinkedQueue<>();
        final CountDownLatch secondEntered = new CountDownLatch(1);
        final AtomicInteger inside = new AtomicInteger();
        final AtomicInteger mostInside = new AtomicInteger();
        final CountDownLatch fourInside = new CountDownLatch(4);

        @Override
        public int step(int n) {
            this.entered.add(n); // the first line
            return n;
        }

        @Override
        public int waitForNext(int n) {
            this.entered.add(n);
            if (n == 0) {
                try {
                    // blocks until the next call of this caller has entered: that needs the overlap
                    return this.secondEntered.await(20, TimeUnit.SECONDS) ? 0 : -1;
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    return -1;
                }
            }
            this.secondEntered.countDown();
            return n;
        }

        @Override
        public int free(int n) {
            int now = this.inside.incrementAndGet();
            this.mostInside.accumulateAndGet(now, Math::max);
            this.fourInside.countDown();
            try {
                this.fourInside.await(10, TimeUnit.SECONDS); // bounded: proves overlap when 4 are inside at once
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            finally {
                this.inside.decrementAndGet();
            }
            return n;
        }
    }

    private static int inversions(List<Integer> order) {
        int n = 0;
        for (int i = 1; i < order.size(); i++) {
            if (order.get(i) < order.get(i - 1)) {
                n++;
            }
        }
        return n;
    }

    @Test
    void oneThreadsCallsEnterInIssueOrderExactlyInEachOf20Repetitions() {
        Recorder recorder = new Recorder();
        try (AsyncRpcServer server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(recorder).build().start();
                AsyncRpcClient client = AsyncRpcClient.builder().address(server.address()).build()) {
            Seq seq = client.proxy(Seq.class);
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                expected.add(i);
            }
            long t0 = System.nanoTime();
            for (int rep = 0; rep < 20; rep++) {
                recorder.entered.clear();
                List<AsyncCall<Integer>> calls = new ArrayList<>(1000);
                for (int i = 0; i < 1000; i++) {
                    calls.add(seq.step(i));
                }
                calls.forEach(c -> c.join(Duration.ofSeconds(60)));
                List<Integer> order = new ArrayList<>(recorder.entered);
                assertThat(inversions(order)).as("inversions in repetition " + rep).isZero();
                assertThat(order).as("repetition " + rep).containsExactlyElementsOf(expected);
            }
            System.out.printf("plain causal: 20 x 1000 calls entered in issue order in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        }
    }

    @Test
    void twoThreadsKeepTheirOwnOrder() throws Exception {
        Recorder recorder = new Recorder();
        try (AsyncRpcServer server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(recorder).build().start();
                AsyncRpcClient client = AsyncRpcClient.builder().address(server.address()).build()) {
            Seq seq = client.proxy(Seq.class);
            CompletableFuture<?> a = CompletableFuture.runAsync(() -> issue(seq, 0));
            CompletableFuture<?> b = CompletableFuture.runAsync(() -> issue(seq, 10_000));
            a.get(60, TimeUnit.SECONDS);
            b.get(60, TimeUnit.SECONDS);
            List<Integer> order = new ArrayList<>(recorder.entered);
            List<Integer> first = order.stream().filter(n -> n < 10_000).toList();
            List<Integer> second = order.stream().filter(n -> n >= 10_000).toList();
            assertThat(first).hasSize(500);
            assertThat(inversions(first)).isZero();
            assertThat(second).hasSize(500);
            assertThat(inversions(second)).isZero();
        }
    }

    private static void issue(Seq seq, int base) {
        List<AsyncCall<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            calls.add(seq.step(base + i));
        }
        calls.forEach(c -> c.join(Duration.ofSeconds(60)));
    }

    @Test
    void aCallThatBlocksLetsTheNextCallOfItsCallerIn() {
        Recorder recorder = new Recorder();
        try (AsyncRpcServer server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(recorder).build().start();
                AsyncRpcClient client = AsyncRpcClient.builder().address(server.address()).build()) {
            Seq seq = client.proxy(Seq.class);
            AsyncCall<Integer> first = seq.waitForNext(0);
            AsyncCall<Integer> second = seq.waitForNext(1);
            assertThat(first.join(Duration.ofSeconds(30))).as("the first call saw the second enter while it waited").isZero();
            assertThat(second.join(Duration.ofSeconds(30))).isEqualTo(1);
            assertThat(new ArrayList<>(recorder.entered)).containsExactly(0, 1);
        }
    }

    @Test
    void nonCausalCallsOverlap() {
        Recorder recorder = new Recorder();
        try (AsyncRpcServer server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(recorder).build().start();
                AsyncRpcClient client = AsyncRpcClient.builder().address(server.address()).build()) {
            Seq seq = client.proxy(Seq.class);
            List<AsyncCall<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                calls.add(seq.free(i));
            }
            calls.forEach(c -> c.join(Duration.ofSeconds(30)));
            System.out.println("noncausal plain calls inside the method at once: " + recorder.mostInside.get());
            assertThat(recorder.mostInside.get()).isGreaterThanOrEqualTo(4);
        }
    }
}
