package dev.asyncrpc.internal.server;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The server's worker pool as a plain object: grows only when work waits, shrinks when idle. */
class WorkerPoolTests {

    /** Wait (bounded) until {@code condition} holds. */
    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 20 s for: " + what).isLessThan(deadline);
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
    }

    @Test
    void oneTaskAtATimeNeedsNoMoreThanTheCoreThreads() throws Exception {
        WorkerPool pool = new WorkerPool("t-seq", 2, 64, 16, Duration.ofSeconds(60));
        try {
            for (int i = 0; i < 1000; i++) {
                CountDownLatch done = new CountDownLatch(1);
                pool.execute(done::countDown);
                assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(pool.threads()).isBetween(1, 2 + 2);
        }
        finally {
            pool.shutdownNow();
        }
    }

    @Test
    void growsWhileWorkWaitsUpToTheMaximumThenQueues() throws Exception {
        WorkerPool pool = new WorkerPool("t-grow", 1, 4, 16, Duration.ofSeconds(60));
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger started = new AtomicInteger();
        AtomicInteger ran = new AtomicInteger();
        try {
            for (int i = 0; i < 10; i++) {
                pool.execute(() -> {
                    started.incrementAndGet();
                    try {
                        release.await();
                    }
                    catch (InterruptedException ex) {
                        Thread.currentThread().interrupt();
                    }
                    ran.incrementAndGet();
                });
            }
            await("4 tasks running", () -> started.get() == 4);
            assertThat(pool.threads()).isEqualTo(4);
            assertThat(pool.running()).isEqualTo(4);
            assertThat(pool.queued()).isEqualTo(6);
            release.countDown();
            await("all tasks ran", () -> ran.get() == 10);
            await("all idle", () -> pool.running() == 0 && pool.queued() == 0);
            assertThat(pool.threads()).isEqualTo(4);
        }
        finally {
            pool.shutdownNow();
        }
    }

    @Test
    void idleWorkersRetireAfterTheKeepAlive() throws Exception {
        WorkerPool pool = new WorkerPool("t-idle", 2, 8, 16, Duration.ofMillis(200));
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(6);
        try {
            for (int i = 0; i < 6; i++) {
                pool.execute(() -> {
                    started.countDown();
                    try {
                        release.await();
                    }
                    catch (InterruptedException ex) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(pool.threads()).isEqualTo(6);
            long idleSince = System.nanoTime();
            release.countDown();
            await("every idle worker retired", () -> pool.threads() == 0);
            assertThat(System.nanoTime() - idleSince).as("not before the keep-alive").isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(200));
            CountDownLatch again = new CountDownLatch(1);
            pool.execute(again::countDown);
            assertThat(again.await(10, TimeUnit.SECONDS)).as("a retired pool starts a thread again").isTrue();
        }
        finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aWorkerThatIsFinishingTakesTheNextTaskInsteadOfANewThread() throws Exception {
        WorkerPool pool = new WorkerPool("t-fin", 1, 8, 16, Duration.ofSeconds(60));
        CountDownLatch finishing = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        CountDownLatch second = new CountDownLatch(1);
        try {
            pool.execute(() -> {
                WorkerPool.finishing();
                finishing.countDown();
                try {
                    proceed.await();
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            });
            assertThat(finishing.await(10, TimeUnit.SECONDS)).isTrue();
            pool.execute(second::countDown);
            assertThat(pool.queued()).as("queued for the finishing worker").isEqualTo(1);
            assertThat(pool.threads()).isEqualTo(1);
            proceed.countDown();
            assertThat(second.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(pool.threads()).isEqualTo(1);
        }
        finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shutdownRunsQueuedWorkThenRefusesAndTerminates() throws Exception {
        WorkerPool pool = new WorkerPool("t-stop", 1, 1, 16, Duration.ofSeconds(60));
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger ran = new AtomicInteger();
        pool.execute(() -> {
            try {
                release.await();
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            ran.incrementAndGet();
        });
        pool.execute(ran::incrementAndGet);
        pool.shutdown();
        assertThatThrownBy(() -> pool.execute(ran::incrementAndGet)).isInstanceOf(RejectedExecutionException.class);
        release.countDown();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ran.get()).isEqualTo(2);
        assertThat(pool.isTerminated()).isTrue();
    }

    @Test
    void defaultsFollowTheHeapAndTheWorkerCount() {
        assertThat(ServerBudgets.maxCallsInProgress(256L << 20)).isEqualTo(32_768);
        assertThat(ServerBudgets.maxCallsInProgress(1L << 20)).isEqualTo(1_024);
        assertThat(ServerBudgets.maxCallsInProgress(64L << 30)).isEqualTo(1_000_000);
        assertThat(ServerBudgets.maxConcurrentCalls(32_768)).isEqualTo(4_096);
        assertThat(ServerBudgets.maxConcurrentCalls(1_000_000)).isEqualTo(10_000);
        assertThat(ServerBudgets.workersPerConnection(64)).isEqualTo(32);
        assertThat(ServerBudgets.workersPerConnection(1)).isEqualTo(1);
    }
}
