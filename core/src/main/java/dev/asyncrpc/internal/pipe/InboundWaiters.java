package dev.asyncrpc.internal.pipe;

import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import dev.asyncrpc.RemoteCallException;
import dev.asyncrpc.Status;
import dev.asyncrpc.internal.PeerWait;

/**
 * Who waits for a receiving end's data: threads blocked in its iterator (waiting on the receiver's
 * monitor), at most one {@code onAvailable} callback (run once, then forgotten) and at most one
 * subscriber (signalled on every wake). A wake never runs user code under the monitor or on the
 * event loop: it notifies the blocked threads and returns what must run outside the monitor
 * (the callback handed to its executor, the subscriber's signal, which delivers on the executor).
 *
 * <p>Not thread-safe: every method but {@link #await} is called with the receiver's monitor held;
 * {@link #await} takes it.
 */
final class InboundWaiters {

    private final Object monitor;
    private int blocked;
    private Runnable callback;
    private Executor callbackExecutor;
    private Runnable subscriber;
    /** Whether a wake of the callback and the subscriber waits for the end of the current read batch. */
    private boolean held;

    /** @param monitor the receiver's monitor: blocked threads wait on it */
    InboundWaiters(Object monitor) {
        this.monitor = monitor;
    }

    /** Replace the {@code onAvailable} callback; {@code executor} {@code null} for the pipe's. */
    void callback(Runnable callback, Executor executor) {
        this.callback = callback;
        this.callbackExecutor = executor;
    }

    /**
     * Register the subscriber's signal.
     * @return {@code false} if one was registered before (a pipe is consumed once)
     */
    boolean subscriber(Runnable signal) {
        if (this.subscriber != null) {
            return false;
        }
        this.subscriber = signal;
        return true;
    }

    /** As {@link #subscriber}, taking the monitor. */
    boolean subscribe(Runnable signal) {
        synchronized (this.monitor) {
            return subscriber(signal);
        }
    }

    /**
     * Data arrived during a read batch and the callback and the subscriber may wait for its end
     * (monitor held): blocked threads are notified now, the rest is held.
     * @return whether the caller must have {@link #wakeHeld} run at the end of the batch: something
     *         waits and no wake is held yet
     */
    boolean hold() {
        if (this.blocked > 0) {
            this.monitor.notifyAll();
        }
        if (this.held || (this.callback == null && this.subscriber == null)) {
            return false;
        }
        this.held = true;
        return true;
    }

    /**
     * The end of the read batch of a {@link #hold} (monitor held): the held wake, as {@link #wake}
     * returns it, if data is still there; none if it was taken meanwhile (a callback then stays
     * registered for the next data).
     */
    Runnable wakeHeld(boolean hasData, Executor executor) {
        this.held = false;
        return hasData ? wake(executor) : null;
    }

    /**
     * Wake every waiter (monitor held): blocked threads now, the rest through what this returns,
     * which the caller runs once it has left the monitor.
     * @param executor where a callback registered without one runs
     * @return what to run outside the monitor, or {@code null} if nothing
     */
    Runnable wake(Executor executor) {
        if (this.blocked > 0) {
            this.monitor.notifyAll();
        }
        Runnable cb = this.callback;
        Executor cbExecutor = (this.callbackExecutor != null) ? this.callbackExecutor : executor;
        this.callback = null;
        this.callbackExecutor = null;
        Runnable sub = this.subscriber;
        if (cb == null && sub == null) {
            return null;
        }
        return () -> {
            if (cb != null) {
                PipeTable.execute(cbExecutor, cb);
            }
            if (sub != null) {
                sub.run();
            }
        };
    }

    /**
     * Block the calling thread until {@code waiting} turns false (takes the monitor; re-checked
     * after every wake).
     * @param what names the pipe end in the error
     * @throws RemoteCallException with {@link Status#CANCELLED} if the thread is interrupted (its
     *         interrupt flag is set again)
     */
    void await(BooleanSupplier waiting, String what) {
        await(waiting, what, 0);
    }

    /**
     * Like {@link #await(BooleanSupplier, String)}, for at most {@code millis} ms (0: no limit).
     * @return whether {@code waiting} turned false
     */
    boolean await(BooleanSupplier waiting, String what, long millis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        synchronized (this.monitor) {
            while (waiting.getAsBoolean()) {
                long left = 0;
                if (millis > 0) {
                    left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime() + 999_999); // rounded up
                    if (left <= 0) {
                        return false;
                    }
                }
                this.blocked++;
                try {
                    this.monitor.wait(left);
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    throw new RemoteCallException(Status.CANCELLED, "interrupted while waiting for " + what);
                }
                finally {
                    this.blocked--;
                }
            }
            return true;
        }
    }

    /** How long a blocked reader waits for data before it tells its pool that it is parked. */
    static final long PARK_AFTER_MILLIS = 2;

    /**
     * Like {@link #await(BooleanSupplier, String)}, for a reader that may be a thread of the
     * server's worker pool: one that has waited {@link #PARK_AFTER_MILLIS} in vain tells the pool
     * it is parked ({@link PeerWait}), so that other calls get a worker meanwhile; the pool may
     * refuse the wait instead ({@link Status#RESOURCE_EXHAUSTED}, thrown from here). The short
     * waits between the frames of a flowing pipe never reach the pool.
     */
    void awaitParking(BooleanSupplier waiting, String what) {
        if (await(waiting, what, PARK_AFTER_MILLIS)) {
            return;
        }
        boolean parked = PeerWait.begin(); // outside the monitor: the pool may start a thread
        try {
            await(waiting, what);
        }
        finally {
            if (parked) {
                PeerWait.end();
            }
        }
    }

    /** Threads blocked in {@link #await} now. */
    int blocked() {
        return this.blocked;
    }
}
