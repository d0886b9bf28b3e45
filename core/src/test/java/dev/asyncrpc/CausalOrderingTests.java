package dev.asyncrpc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Causal ordering: dispatch follows issue order per thread; execution overlaps; NONCAUSAL opts out. */
class CausalOrderingTests {

    @RemoteService("seq")
    interface Seq {
        @AsyncRemote
        AsyncCall<Integer> step(String thread, int n);

        @AsyncRemote(ordering = Ordering.NONCAUSAL)
        AsyncCall<Integer> free(String thread, int n);
    }

    @RemoteService("seq")
    interface SeqEndpoint {
        @AsyncRemote
        CompletableFuture<Integer> step(String thread, int n);

        @AsyncRemote
        CompletableFuture<Integer> free(String thread, int n);
    }

    /**
     * An asynchronous implementation that records dispatch order, hands each call to a pool where
     * it works 0-5 ms, and records completion order.
     */
    static final class Recorder implements SeqEndpoint {
        final List<String> dispatched = Collections.synchronizedList(new ArrayList<>());
        final List<String> completed = Collections.synchronizedList(new ArrayList<>());
        final java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(16);

        @Override
        public CompletableFuture<Integer> step(String thread, int n) {
            return work(thread, n);
        }

        @Override
        public CompletableFuture<Integer> free(String thread, int n) {
            return work(thread, n);
        }

        private CompletableFuture<Integer> work(String thread, int n) {
            this.dispatched.add(thread + n);
            return CompletableFuture.supplyAsync(() -> {
                try {
                    Thread.sleep(ThreadLocalRandom.current().nextInt(6)); // the implementation's work: 0-5 ms
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
                this.completed.add(thread + n);
                return n;
            }, this.pool);
        }
    }

    private AsyncRpcServer server;
    private AsyncRpcClient client;

    private Recorder recorder;

    @AfterEach
    void close() {
        this.client.close();
        this.server.close();
        this.recorder.pool.shutdownNow();
    }

    private Seq start(Recorder recorder) {
        this.recorder = recorder;
        this.server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(recorder).workerThreads(16).build().start();
        this.client = AsyncRpcClient.builder().address(this.server.address()).build();
        return this.client.proxy(Seq.class);
    }

    private static List<String> expected(String thread, int count) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(thread + i);
        }
        return out;
    }

    @Test
    void oneThreadsCallsAreDispatchedInIssueOrderWhileCompletionOrderDiffers() {
        Recorder recorder = new Recorder();
        Seq seq = start(recorder);
        List<AsyncCall<Integer>> calls = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < 1000; i++) {
            calls.add(seq.step("a", i));
        }
        calls.forEach(c -> c.join(Duration.ofSeconds(60)));
        long causalMillis = (System.nanoTime() - start) / 1_000_000;
        assertThat(recorder.dispatched).containsExactlyElementsOf(expected("a", 1000));
        assertThat(recorder.completed).as("execution overlaps, so completions reorder").isNotEqualTo(expected("a", 1000));
        System.out.println("causal: 1000 calls of 0-5 ms in " + causalMillis + " ms");
    }

    @Test
    void twoThreadsKeepTheirOwnOrderAndInterleave() throws Exception {
        Recorder recorder = new Recorder();
        Seq seq = start(recorder);
        // the threads issue in steps of 50 calls, each step once both finished the one before, so that
        // the two sequences reach the server interleaved even when one thread would otherwise issue
        // all of its calls before the other one starts (a loaded machine)
        // (two threads of their own: the common pool may have one, which would run them one after the other)
        java.util.concurrent.CyclicBarrier step = new java.util.concurrent.CyclicBarrier(2);
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            CompletableFuture<?> a = CompletableFuture.runAsync(() -> issue(seq, "a", step), threads);
            CompletableFuture<?> b = CompletableFuture.runAsync(() -> issue(seq, "b", step), threads);
            a.get(60, TimeUnit.SECONDS);
            b.get(60, TimeUnit.SECONDS);
        }
        finally {
            threads.shutdownNow();
        }
        List<String> dispatched = new ArrayList<>(recorder.dispatched);
        assertThat(dispatched.stream().filter(s -> s.startsWith("a")).toList()).containsExactlyElementsOf(expected("a", 500));
        assertThat(dispatched.stream().filter(s -> s.startsWith("b")).toList()).containsExactlyElementsOf(expected("b", 500));
        int switches = 0;
        for (int i = 1; i < dispatched.size(); i++) {
            if (dispatched.get(i).charAt(0) != dispatched.get(i - 1).charAt(0)) {
                switches++;
            }
        }
        assertThat(switches).as("the two threads' calls interleave on the server").isGreaterThan(1);
    }

    private static void issue(Seq seq, String thread, java.util.concurrent.CyclicBarrier step) {
        List<AsyncCall<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            if (i % 50 == 0) {
                try {
                    step.await(60, TimeUnit.SECONDS);
                }
                catch (Exception ex) {
                    throw new IllegalStateException("the other thread did not reach step " + i / 50, ex);
                }
            }
            calls.add(seq.step(thread, i));
        }
        calls.forEach(c -> c.join(Duration.ofSeconds(60)));
    }

    @Test
    void nonCausalCallsDoNotWaitForTheirPredecessors() {
        Recorder recorder = new Recorder();
        Seq seq = start(recorder);
        List<AsyncCall<Integer>> causal = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < 1000; i++) {
            causal.add(seq.step("c", i));
        }
        causal.forEach(c -> c.join(Duration.ofSeconds(60)));
        long causalMillis = (System.nanoTime() - t0) / 1_000_000;
        recorder.dispatched.clear();

        List<AsyncCall<Integer>> free = new ArrayList<>();
        long t1 = System.nanoTime();
        for (int i = 0; i < 1000; i++) {
            free.add(seq.free("f", i));
        }
        free.forEach(c -> c.join(Duration.ofSeconds(60)));
        long freeMillis = (System.nanoTime() - t1) / 1_000_000;
        System.out.println("1000 calls of 0-5 ms: causal " + causalMillis + " ms, noncausal " + freeMillis + " ms");
        assertThat(recorder.dispatched).hasSize(1000);
        assertThat(recorder.dispatched).containsExactlyInAnyOrderElementsOf(expected("f", 1000));
    }
}
