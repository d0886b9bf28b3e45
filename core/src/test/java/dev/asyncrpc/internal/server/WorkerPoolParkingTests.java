package dev.asyncrpc.internal.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import dev.asyncrpc.RemoteCallException;
import dev.asyncrpc.Status;
import dev.asyncrpc.internal.PeerWait;
import org.junit.jupiter.api.Test;

import static dev.asyncrpc.internal.server.WorkerPoolTests.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The worker pool's parked workers, as plain objects: a task that waits for a peer
 * ({@link PeerWait}) is replaced while it waits, up to a limit beyond which the wait is refused,
 * and the extra threads retire once the parked workers wake.
 */
class WorkerPoolParkingTests {

    /** A task that waits for {@code wake} as a plain implementation waits for pipe data; records a refusal. */
    private static Runnable parking(CountDownLatch parked, CountDownLatch wake, AtomicReference<RemoteCallException> refused) {
        return () -> {
            boolean told;
            try {
                told = PeerWait.begin();
            }
            catch (RemoteCallException ex) {
                refused.set(ex);
                parked.countDown();
                return;
            }
            try {
                parked.countDown();
                wake.await();
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            finally {
                if (told) {
                    PeerWait.end();
                }
            }
        };
    }

    private static Runnable blocking(CountDownLatch started, CountDownLatch release) {
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
    void parkedWorkersAreReplacedSoQueuedTasksRun() throws Exception {
        WorkerPool pool = new WorkerPool("t-park", 1, 2, 8, Duration.ofSeconds(60));
        CountDownLatch parked = new CountDownLatch(2);
        CountDownLatch wake = new CountDownLatch(1);
        AtomicReference<RemoteCallException> refused = new AtomicReference<>();
        try {
            pool.execute(parking(parked, wake, refused));
            pool.execute(parking(parked, wake, refused));
            assertThat(parked.await(10, TimeUnit.SECONDS)).isTrue();
            await("both parked", () -> pool.parked() == 2);
            CountDownLatch ran = new CountDownLatch(5);
            for (int i = 0; i < 5; i++) {
                pool.execute(ran::countDown);
            }
            assertThat(ran.await(10, TimeUnit.SECONDS)).as("tasks run while every worker of the maximum is parked").isTrue();
            assertThat(pool.threads()).as("at most max threads besides the parked ones").isLessThanOrEqualTo(2 + 2);
            assertThat(pool.parked()).isEqualTo(2);
            assertThat(refused.get()).isNull();
        }
        finally {
            wake.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void aWorkerThatParksWhileTasksAreQueuedStartsItsReplacementAtOnce() throws Exception {
        WorkerPool pool = new WorkerPool("t-park-q", 1, 1, 8, Duration.ofSeconds(60));
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch mayPark = new CountDownLatch(1);
        CountDownLatch wake = new CountDownLatch(1);
        CountDownLatch queuedRan = new CountDownLatch(1);
        try {
            pool.execute(() -> {
                started.countDown();
                try {
                    mayPark.await();
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    return;
                }
                parking(new CountDownLatch(1), wake, new AtomicReference<>()).run();
            });
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            pool.execute(queuedRan::countDown);
            assertThat(pool.queued()).as("queued behind the only worker").isEqualTo(1);
            assertThat(pool.threads()).isEqualTo(1);
            mayPark.countDown();
            assertThat(queuedRan.await(10, TimeUnit.SECONDS)).as("the queued task ran on the parked worker's replacement").isTrue();
            assertThat(pool.threads()).isEqualTo(2);
            assertThat(pool.parked()).isEqualTo(1);
        }
        finally {
            wake.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void aWaitBeyondTheMostParkedWorkersIsRefusedAndNamesTheLimit() throws Exception {
        WorkerPool pool = new WorkerPool("t-park-max", 1, 1, 2, Duration.ofSeconds(60));
        CountDownLatch parked = new CountDownLatch(3);
        CountDownLatch wake = new CountDownLatch(1);
        AtomicReference<RemoteCallException> refused = new AtomicReference<>();
        try {
            for (int i = 0; i < 3; i++) {
                pool.execute(parking(parked, wake, refused));
            }
            assertThat(parked.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(refused.get()).as("the third wait").isNotNull();
            assertThat(refused.get().status()).isEqualTo(Status.RESOURCE_EXHAUSTED);
            assertThat(refused.get().getMessage()).contains("2 worker threads waiting for pipe data", "maxParkedWorkers",
                    "asyncrpc.server.max-parked-workers");
            assertThat(pool.parked()).isEqualTo(2);
            assertThat(pool.parkRefused()).isEqualTo(1);
            CountDownLatch other = new CountDownLatch(1);
            pool.execute(other::countDown);
            assertThat(other.await(10, TimeUnit.SECONDS)).as("other tasks still run").isTrue();
            assertThat(pool.threads()).as("max + maxParked at most").isLessThanOrEqualTo(1 + 2);
        }
        finally {
            wake.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void extraThreadsRetireAsSoonAsTheirTasksEndOnceParkedWorkersWake() throws Exception {
        WorkerPool pool = new WorkerPool("t-park-retire", 1, 2, 8, Duration.ofSeconds(60));
        CountDownLatch parked = new CountDownLatch(2);
        CountDownLatch wake = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        try {
            pool.execute(parking(parked, wake, new AtomicReference<>()));
            pool.execute(parking(parked, wake, new AtomicReference<>()));
            assertThat(parked.await(10, TimeUnit.SECONDS)).isTrue();
            await("both parked", () -> pool.parked() == 2);
            pool.execute(blocking(started, release));
            pool.execute(blocking(started, release));
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(pool.threads()).isEqualTo(4);
            wake.countDown();
            release.countDown();
            await("back to the maximum long before the 60 s keep-alive", () -> pool.threads() == 2);
            assertThat(pool.parked()).isZero();
            // the two woken tasks may still be returning on the two threads that stay
            await("the woken tasks end", () -> pool.running() == 0);
            assertThat(pool.running()).isZero();
            CountDownLatch again = new CountDownLatch(1);
            pool.execute(again::countDown);
            assertThat(again.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(pool.threads()).isEqualTo(2);
        }
        finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aThreadOutsideThePoolIsNotTold() {
        assertThat(PeerWait.begin()).isFalse();
        PeerWait.end(); // no effect
    }

    @Test
    void aParkedWorkerInterruptedByShutdownNowLeavesNothingCounted() throws Exception {
        WorkerPool pool = new WorkerPool("t-park-stop", 1, 1, 4, Duration.ofSeconds(60));
        CountDownLatch parked = new CountDownLatch(2);
        CountDownLatch never = new CountDownLatch(1);
        pool.execute(parking(parked, never, new AtomicReference<>()));
        pool.execute(parking(parked, never, new AtomicReference<>()));
        assertThat(parked.await(10, TimeUnit.SECONDS)).isTrue();
        pool.shutdownNow();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(pool.parked()).isZero();
        assertThat(pool.threads()).isZero();
    }

    @Test
    void manyTasksParkingAndWakingLeaveTheCountsExactAndTheThreadsBounded() throws Exception {
        int max = 4;
        int maxParked = 6;
        WorkerPool pool = new WorkerPool("t-park-mix", 2, max, maxParked, Duration.ofMillis(200));
        AtomicInteger done = new AtomicInteger();
        AtomicInteger refusals = new AtomicInteger();
        AtomicInteger mostThreads = new AtomicInteger();
        int tasks = 2_000;
        try {
            for (int i = 0; i < tasks; i++) {
                pool.execute(() -> {
                    try {
                        if (ThreadLocalRandom.current().nextInt(3) == 0) {
                            boolean told = PeerWait.begin();
                            try {
                                java.util.concurrent.locks.LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(200_000));
                            }
                            finally {
                                if (told) {
                                    PeerWait.end();
                                }
                            }
                        }
                    }
                    catch (RemoteCallException ex) {
                        refusals.incrementAndGet();
                    }
                    mostThreads.accumulateAndGet(pool.threads(), Math::max);
                    done.incrementAndGet();
                });
            }
            await("all ran", () -> done.get() == tasks);
            await("all idle", () -> pool.running() == 0);
            assertThat(pool.parked()).isZero();
            assertThat(pool.parkRefused()).isEqualTo(refusals.get());
            assertThat(mostThreads.get()).as("threads seen by the tasks").isLessThanOrEqualTo(max + maxParked);
            await("idle threads retire", () -> pool.threads() == 0);
        }
        finally {
            pool.shutdownNow();
        }
        List<Thread> left = new ArrayList<>();
        Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("t-park-mix")).forEach(left::add);
        for (Thread t : left) {
            t.join(10_000);
        }
        assertThat(left.stream().filter(Thread::isAlive).toList()).as("threads of the pool still alive").isEmpty();
    }
}
