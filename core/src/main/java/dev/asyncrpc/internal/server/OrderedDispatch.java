package dev.asyncrpc.internal.server;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Causal ordering for one ordering key (one caller thread on one connection): units of work
 * (a call, or a batch of asynchronous calls) are submitted to the executor one at a time, the next
 * only once the previous has started. Dispatch order equals arrival order; execution overlaps.
 */
final class OrderedDispatch {

    private final Executor executor;
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    private boolean inFlight;

    OrderedDispatch(Executor executor) {
        this.executor = executor;
    }

    /** Submit {@code unit}; it must call {@link #started()} when it begins. */
    void submit(Runnable unit) {
        synchronized (this) {
            if (this.inFlight) {
                this.queue.add(unit);
                return;
            }
            this.inFlight = true;
        }
        execute(unit);
    }

    /** The unit submitted last has started: submit the next one. */
    void started() {
        Runnable next;
        synchronized (this) {
            next = this.queue.poll();
            if (next == null) {
                this.inFlight = false;
                return;
            }
        }
        execute(next);
    }

    synchronized boolean isIdle() {
        return !this.inFlight && this.queue.isEmpty();
    }

    private void execute(Runnable unit) {
        try {
            this.executor.execute(unit);
        }
        catch (RejectedExecutionException ex) {
            unit.run(); // the server is stopping: run here so that the call is answered and the chain ends
        }
    }
}
