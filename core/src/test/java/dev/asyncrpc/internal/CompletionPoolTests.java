package dev.asyncrpc.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

@Timeout(60)
class CompletionPoolTests {

    /** Spin until {@code condition} holds (it is set by another thread of the pool), at most 10 s. */
    private static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 10 s").isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    private static Runnable blockUntil(CountDownLatch started, CountDownLatch release) {
        return () -> {
            started.countDown();
            try {
                release.await();
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        };
    }

    @Test
    void tasksOneAtATimeUseOneThread() throws Exception {
        CompletionPool pool = new CompletionPool("one", 8, 60, TimeUnit.SECONDS);
        try {
            List<String> names = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                names.add(pool.submit(() -> Thread.currentThread().getName()).get(10, TimeUnit.SECONDS));
                await(() -> pool.idleThreads() == 1); // the thread is idle again (it was still finishing the task)
            }
            assertThat(pool.threads()).isEqualTo(1);
            assertThat(names).containsOnly("one-1");
        }
        finally {
            pool.shutdown();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void growsToItsMaximumWhileTasksWaitThenQueues() throws Exception {
        CompletionPool pool = new CompletionPool("grow", 8, 60, TimeUnit.SECONDS);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(8);
        try {
            for (int i = 0; i < 20; i++) {
                pool.execute(blockUntil(started, release));
            }
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(pool.threads()).isEqualTo(8);
            assertThat(pool.queued()).isEqualTo(12);
        }
        finally {
            release.countDown();
            pool.shutdown();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void aTaskForABusyPoolAtItsMaximumWaitsForTheRunningThread() throws Exception {
        CompletionPool pool = new CompletionPool("busy", 1, 60, TimeUnit.SECONDS);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        try {
            pool.execute(blockUntil(started, release));
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            Future<String> next = pool.submit(() -> Thread.currentThread().getName());
            assertThat(pool.queued()).isEqualTo(1);
            assertThat(pool.threads()).isEqualTo(1);
            release.countDown();
            assertThat(next.get(10, TimeUnit.SECONDS)).isEqualTo("busy-1");
        }
        finally {
            release.countDown();
            pool.shutdown();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void idleThreadsRetireAfterTheKeepAliveAndNewOnesStartForNewTasks() throws Exception {
        CompletionPool pool = new CompletionPool("retire", 4, 50, TimeUnit.MILLISECONDS);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(4);
        try {
            for (int i = 0; i < 4; i++) {
                pool.execute(blockUntil(started, release));
            }
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(pool.threads()).isEqualTo(4);
            release.countDown();
            await(() -> pool.threads() == 0);
            assertThat(pool.submit(() -> "again").get(10, TimeUnit.SECONDS)).isEqualTo("again");
        }
        finally {
            pool.shutdown();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void aFailingOrInterruptingTaskLeavesTheThreadServing() throws Exception {
        CompletionPool pool = new CompletionPool("fail", 1, 60, TimeUnit.SECONDS);
        AtomicInteger failures = new AtomicInteger();
        try {
            pool.execute(() -> {
                Thread.currentThread().setUncaughtExceptionHandler((t, ex) -> failures.incrementAndGet());
                throw new IllegalStateException("callback failed");
            });
            pool.execute(() -> Thread.currentThread().interrupt());
            assertThat(pool.submit(() -> Thread.currentThread().isInterrupted()).get(10, TimeUnit.SECONDS)).isFalse();
            assertThat(failures).hasValue(1);
            assertThat(pool.threads()).isEqualTo(1);
        }
        finally {
            pool.shutdown();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void shutdownRunsWhatWasQueuedAndRefusesNewTasks() throws Exception {
        CompletionPool pool = new CompletionPool("stop", 1, 60, TimeUnit.SECONDS);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        AtomicInteger ran = new AtomicInteger();
        pool.execute(blockUntil(started, release));
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < 5; i++) {
            pool.execute(ran::incrementAndGet);
        }
        pool.shutdown();
        assertThat(pool.isShutdown()).isTrue();
        assertThat(pool.isTerminated()).isFalse();
        assertThatExceptionOfType(RejectedExecutionException.class).isThrownBy(() -> pool.execute(ran::incrementAndGet))
            .withMessage("the stop pool is shut down");
        release.countDown();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ran).hasValue(5);
        assertThat(pool.threads()).isZero();
    }

    @Test
    void anIdlePoolTerminatesAtOnceOnShutdown() throws Exception {
        CompletionPool pool = new CompletionPool("idle", 2, 60, TimeUnit.SECONDS);
        pool.submit(() -> { }).get(10, TimeUnit.SECONDS);
        await(() -> pool.idleThreads() == 1);
        pool.shutdown();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(pool.isTerminated()).isTrue();
    }

    @Test
    void theMaximumMustBePositive() {
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException().isThrownBy(() -> new CompletionPool("x", 0, 1, TimeUnit.SECONDS))
            .withMessage("max: 0 (expected: > 0)");
    }
}
