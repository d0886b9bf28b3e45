package dev.asyncrpc.internal.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.asyncrpc.Status;
import org.junit.jupiter.api.Test;

import static dev.asyncrpc.internal.server.WorkerPoolTests.await;
import static org.assertj.core.api.Assertions.assertThat;

/** Per-connection quotas, refusals that are reported instead of run inline, ordered dispatch over a lane. */
class WorkLaneTests {

    /** An executor that refuses everything, as a saturated application executor would. */
    static final class Refusing extends AbstractExecutorService {
        volatile boolean shut;

        @Override
        public void execute(Runnable command) {
            throw new RejectedExecutionException("full");
        }

        @Override
        public void shutdown() {
            this.shut = true;
        }

        @Override
        public List<Runnable> shutdownNow() {
            this.shut = true;
            return List.of();
        }

        @Override
        public boolean isShutdown() {
            return this.shut;
        }

        @Override
        public boolean isTerminated() {
            return this.shut;
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return true;
        }
    }

    /** A task that records whether it ran or how it was refused. */
    static final class Probe implements WorkerTask {
        final List<String> log;
        final String name;
        final CountDownLatch release;

        Probe(List<String> log, String name, CountDownLatch release) {
            this.log = log;
            this.name = name;
            this.release = release;
        }

        @Override
        public void run() {
            this.log.add("ran " + this.name);
            try {
                this.release.await();
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void rejected(Status status, String message) {
            this.log.add(status + " " + this.name);
        }
    }

    @Test
    void oneLaneHoldsAtMostItsQuotaOfWorkersAndTheRestWaitsInOrder() {
        WorkerPool pool = new WorkerPool("t-lane", 2, 16, 16, Duration.ofSeconds(60));
        WorkerDispatch dispatch = new WorkerDispatch(pool, 3);
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch release = new CountDownLatch(1);
        try {
            WorkLane greedy = dispatch.newLane();
            for (int i = 0; i < 10; i++) {
                greedy.execute(new Probe(log, "g" + i, release));
            }
            await("3 running", () -> dispatch.running() == 3);
            assertThat(greedy.inFlight()).isEqualTo(3);
            assertThat(greedy.waiting()).isEqualTo(7);
            assertThat(dispatch.waiting()).isEqualTo(7);
            CountDownLatch other = new CountDownLatch(1);
            dispatch.newLane().execute(WorkerTask.of(other::countDown));
            await("another lane's task ran while the greedy one is full", () -> other.getCount() == 0);
            release.countDown();
            await("all ran", () -> log.size() == 10 && dispatch.running() == 0);
            assertThat(dispatch.waiting()).isZero();
            assertThat(log.subList(0, 3)).as("the first three submitted took the quota").containsExactlyInAnyOrder("ran g0", "ran g1", "ran g2");
        }
        finally {
            pool.shutdownNow();
        }
    }

    @Test
    void refusedWorkIsReportedNeverRunAndCounted() {
        Refusing executor = new Refusing();
        WorkerDispatch dispatch = new WorkerDispatch(executor, 2);
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch release = new CountDownLatch(0);
        WorkLane lane = dispatch.newLane();
        lane.execute(new Probe(log, "a", release));
        lane.execute(new Probe(log, "b", release));
        lane.execute(new Probe(log, "c", release));
        assertThat(log).containsExactly("RESOURCE_EXHAUSTED a", "RESOURCE_EXHAUSTED b", "RESOURCE_EXHAUSTED c");
        assertThat(dispatch.rejected()).isEqualTo(3);
        assertThat(lane.inFlight()).isZero();
        assertThat(dispatch.waiting()).isZero();
        executor.shutdown();
        lane.execute(new Probe(log, "d", release));
        assertThat(log).last().isEqualTo("NOT_DISPATCHED d");
    }

    @Test
    void orderedDispatchKeepsGoingWhenEveryUnitIsRefusedWithoutRecursion() {
        WorkerDispatch dispatch = new WorkerDispatch(new Refusing(), 16);
        OrderedDispatch ordered = new OrderedDispatch(dispatch.newLane());
        AtomicInteger refused = new AtomicInteger();
        for (int i = 0; i < 100_000; i++) {
            ordered.submit(new WorkerTask() {
                @Override
                public void run() {
                    throw new AssertionError("never runs");
                }

                @Override
                public void rejected(Status status, String message) {
                    refused.incrementAndGet();
                }
            });
        }
        assertThat(refused.get()).isEqualTo(100_000);
        assertThat(ordered.isIdle()).isTrue();
    }
}
