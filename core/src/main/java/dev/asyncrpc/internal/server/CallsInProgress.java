package dev.asyncrpc.internal.server;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The server's calls in progress on all its connections: their count and its limit, the calls
 * refused because a limit of calls in progress was reached, and the drain (from which on no new
 * call is dispatched) with its wait for the count to reach zero. Any thread.
 */
final class CallsInProgress implements CallAdmission.Server {

    private final AtomicInteger active = new AtomicInteger();
    private final LongAdder refused = new LongAdder();
    private final Object drained = new Object();
    private volatile int max = Integer.MAX_VALUE;
    private volatile boolean draining;

    /** Set the limit (before the server starts). */
    void limit(int maxCallsInProgress) {
        this.max = maxCallsInProgress;
    }

    @Override
    public int maxCallsInProgress() {
        return this.max;
    }

    /**
     * A call starts if the limit allows.
     * @return {@code false} if {@code maxCallsInProgress} calls are in progress already
     */
    @Override
    public boolean tryCallStarted() {
        while (true) {
            int n = this.active.get();
            if (n >= this.max) {
                return false;
            }
            if (this.active.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** A call ended: replied to, or its connection closed. */
    void callEnded() {
        if (this.active.decrementAndGet() == 0 && this.draining) {
            synchronized (this.drained) {
                this.drained.notifyAll();
            }
        }
    }

    /** Calls in progress now. */
    int active() {
        return this.active.get();
    }

    @Override
    public void refused() {
        this.refused.increment();
    }

    /** Calls refused because a limit of calls in progress was reached (per connection or server-wide), since start. */
    long refusedCalls() {
        return this.refused.sum();
    }

    /** From now on no new call is dispatched. */
    void startDraining() {
        this.draining = true;
    }

    @Override
    public boolean isDraining() {
        return this.draining;
    }

    /**
     * Wait until no call is in progress, at most until {@code deadlineNanos} ({@link System#nanoTime()}).
     * An interrupt ends the wait (the thread stays interrupted).
     * @return the calls still in progress (0 if all ended)
     */
    int awaitNone(long deadlineNanos) {
        synchronized (this.drained) {
            while (this.active.get() > 0) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(this.drained, left);
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        return this.active.get();
    }
}
