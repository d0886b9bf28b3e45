package dev.asyncrpc.internal.server;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static dev.asyncrpc.internal.server.WorkerPoolTests.await;
import static org.assertj.core.api.Assertions.assertThat;

/** The proof of entry that releases the next call of an ordering key, as a plain object. */
class EntryWatchTests {

    /** An implementation, called through an {@link Invoker} as the server calls one. */
    public static final class Impl {
        final CountDownLatch end = new CountDownLatch(1);

        public int blockingMethod() throws InterruptedException {
            return this.end.await(20, TimeUnit.SECONDS) ? 1 : 0;
        }
    }

    @Test
    void aThreadSeenWaitingInsideReleasesTheNextCallOnce() throws Exception {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        AtomicInteger released = new AtomicInteger();
        EntryWatch watch = new EntryWatch(released::incrementAndGet, timer, "blockingMethod");
        try {
            Impl impl = new Impl();
            Invoker through = Invoker.of(Impl.class.getMethod("blockingMethod"));
            Thread invoker = new Thread(() -> {
                watch.invoking();
                try {
                    through.invoke(impl, new Object[0]); // the implementation waits: it is inside
                }
                catch (Exception ex) {
                    throw new IllegalStateException(ex);
                }
                finally {
                    watch.release(); // the invocation returned
                }
            });
            watch.kick(); // a call of the key waits behind this one
            invoker.start();
            await("released while the invoker waits", () -> released.get() == 1);
            assertThat(impl.end.getCount()).as("released before the invocation returned").isEqualTo(1);
            impl.end.countDown();
            invoker.join(10_000);
            assertThat(released.get()).as("at most once").isEqualTo(1);
        }
        finally {
            timer.shutdownNow();
        }
    }

    @Test
    void withNothingWaitingNoCheckRunsAndTheReturnReleases() {
        AtomicInteger scheduled = new AtomicInteger();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        AtomicInteger released = new AtomicInteger();
        EntryWatch watch = new EntryWatch(released::incrementAndGet, new java.util.concurrent.ScheduledThreadPoolExecutor(1) {
            @Override
            public java.util.concurrent.ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
                scheduled.incrementAndGet();
                return timer.schedule(command, delay, unit);
            }
        }, "m");
        try {
            watch.invoking();
            assertThat(scheduled.get()).as("no waiter, no timer").isZero();
            watch.release();
            watch.release();
            assertThat(released.get()).isEqualTo(1);
            watch.kick();
            assertThat(scheduled.get()).as("released already: nothing to watch").isZero();
        }
        finally {
            timer.shutdownNow();
        }
    }

    @Test
    void aRunnableThreadThatHasNotReachedTheInvokerIsNotTakenAsInside() throws Exception {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        AtomicInteger released = new AtomicInteger();
        EntryWatch watch = new EntryWatch(released::incrementAndGet, timer, "run");
        CountDownLatch stop = new CountDownLatch(1);
        try {
            Thread spinner = new Thread(() -> {
                watch.invoking();
                while (stop.getCount() > 0) {
                    Thread.onSpinWait(); // runnable, and no frame of an invoked method: must not release
                }
            });
            watch.kick();
            spinner.start();
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
            while (System.nanoTime() < until) {
                assertThat(released.get()).isZero();
                Thread.onSpinWait();
            }
            assertThat(released.get()).as("Thread.run in the stack is not the implementation's run").isZero();
            stop.countDown();
            spinner.join(10_000);
        }
        finally {
            timer.shutdownNow();
        }
    }
}
