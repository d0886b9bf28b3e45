package dev.asyncrpc.internal.pipe;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import dev.asyncrpc.RemoteCallException;
import dev.asyncrpc.Status;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The waiters of a receiving end: the callback runs once on its executor, the subscriber on every wake, blocked threads wake. */
class InboundWaitersTests {

    private final Object monitor = new Object();
    private final InboundWaiters waiters = new InboundWaiters(this.monitor);
    private final List<String> ran = new ArrayList<>();

    private Executor tagged(String name) {
        return task -> {
            this.ran.add(name);
            task.run();
        };
    }

    private Runnable wake(Executor executor) {
        synchronized (this.monitor) {
            return this.waiters.wake(executor);
        }
    }

    @Test
    void nothingToRunWithoutWaiters() {
        assertThat(wake(tagged("pipe"))).isNull();
    }

    @Test
    void theCallbackRunsOnceOnItsExecutorOrThePipes() {
        this.waiters.callback(() -> this.ran.add("callback"), tagged("own"));
        Runnable r = wake(tagged("pipe"));
        assertThat(this.ran).as("nothing runs under the monitor").isEmpty();
        r.run();
        assertThat(this.ran).containsExactly("own", "callback");
        assertThat(wake(tagged("pipe"))).as("forgotten once run").isNull();

        this.ran.clear();
        this.waiters.callback(() -> this.ran.add("first"), null);
        this.waiters.callback(() -> this.ran.add("second"), null); // replaces the first
        wake(tagged("pipe")).run();
        assertThat(this.ran).containsExactly("pipe", "second");
    }

    @Test
    void theSubscriberIsSignalledOnEveryWakeAndOnlyOneMayRegister() {
        assertThat(this.waiters.subscriber(() -> this.ran.add("signal"))).isTrue();
        assertThat(this.waiters.subscriber(() -> this.ran.add("other"))).isFalse();
        wake(tagged("pipe")).run();
        wake(tagged("pipe")).run();
        assertThat(this.ran).containsExactly("signal", "signal");
    }

    @Test
    void aHeldWakeIsAskedForOncePerBatchAndRunsOnlyIfDataIsStillThere() {
        synchronized (this.monitor) {
            assertThat(this.waiters.hold()).as("nobody waits").isFalse();
        }
        this.waiters.callback(() -> this.ran.add("callback"), null);
        synchronized (this.monitor) {
            assertThat(this.waiters.hold()).as("first data of the batch").isTrue();
            assertThat(this.waiters.hold()).as("held already").isFalse();
            assertThat(this.waiters.wakeHeld(false, tagged("pipe"))).as("the data was taken meanwhile").isNull();
            assertThat(this.waiters.hold()).as("next batch").isTrue();
        }
        Runnable r;
        synchronized (this.monitor) {
            r = this.waiters.wakeHeld(true, tagged("pipe"));
        }
        r.run();
        assertThat(this.ran).containsExactly("pipe", "callback");
        synchronized (this.monitor) {
            assertThat(this.waiters.hold()).as("the callback ran and is forgotten").isFalse();
        }
    }

    @Test
    void aBlockedThreadWakesWhenTheConditionTurnsFalse() throws Exception {
        AtomicBoolean empty = new AtomicBoolean(true);
        CountDownLatch done = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            this.waiters.await(empty::get, "pipe 0");
            done.countDown();
        });
        t.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            synchronized (this.monitor) {
                if (this.waiters.blocked() == 1) {
                    break;
                }
            }
            assertThat(System.nanoTime()).as("the thread blocks").isLessThan(deadline);
            Thread.onSpinWait();
        }
        assertThat(wake(tagged("pipe"))).as("a spurious wake: the condition still holds").isNull();
        assertThat(done.await(50, TimeUnit.MILLISECONDS)).isFalse();
        empty.set(false);
        wake(tagged("pipe"));
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        t.join(10_000);
        synchronized (this.monitor) {
            assertThat(this.waiters.blocked()).isZero();
        }
    }

    @Test
    void anInterruptedWaitIsCancelledAndKeepsTheFlag() throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean flag = new AtomicBoolean();
        Thread t = new Thread(() -> {
            Thread.currentThread().interrupt();
            try {
                this.waiters.await(() -> true, "pipe 1 of op");
            }
            catch (RuntimeException ex) {
                thrown.set(ex);
                flag.set(Thread.currentThread().isInterrupted());
            }
        });
        t.start();
        t.join(10_000);
        assertThat(thrown.get()).isInstanceOf(RemoteCallException.class).hasMessageContaining("pipe 1 of op");
        assertThat(((RemoteCallException) thrown.get()).status()).isEqualTo(Status.CANCELLED);
        assertThat(flag.get()).isTrue();
    }

    @Test
    void aTimedWaitGivesUpAfterItsTimeOrEndsWhenTheConditionTurnsFalse() {
        long t0 = System.nanoTime();
        assertThat(this.waiters.await(() -> true, "pipe 1 of op", 5)).as("still waiting after 5 ms").isFalse();
        assertThat(System.nanoTime() - t0).as("not before its time").isGreaterThanOrEqualTo(5_000_000L);
        assertThat(this.waiters.blocked()).isZero();
        assertThat(this.waiters.await(() -> false, "pipe 1 of op", 5)).as("nothing to wait for").isTrue();
    }
}
