package dev.asyncrpc.internal.server;

import java.util.ArrayDeque;

import dev.asyncrpc.Status;

/**
 * Causal ordering for one ordering key (one caller thread on one connection): units of work
 * (a call, or a batch of asynchronous calls) are handed to the connection's {@link WorkLane} one at
 * a time, the next only once the previous has called {@link #started()}. Dispatch order equals
 * arrival order; execution overlaps. A unit the executor refuses is told so and the next one goes,
 * without recursion.
 */
final class OrderedDispatch {

    private final WorkLane lane;
    private final ArrayDeque<WorkerTask> queue = new ArrayDeque<>();
    private boolean inFlight;
    private Thread sending;
    private boolean refusedWhileSending;

    OrderedDispatch(WorkLane lane) {
        this.lane = lane;
    }

    /** Submit {@code unit}; it must call {@link #started()} when it begins. */
    void submit(WorkerTask unit) {
        synchronized (this) {
            if (this.inFlight) {
                this.queue.add(unit);
                return;
            }
            this.inFlight = true;
        }
        send(unit);
    }

    /** The unit submitted last has started: submit the next one. */
    void started() {
        WorkerTask next = poll();
        if (next != null) {
            send(next);
        }
    }

    synchronized boolean isIdle() {
        return !this.inFlight && this.queue.isEmpty();
    }

    private synchronized WorkerTask poll() {
        WorkerTask next = this.queue.poll();
        if (next == null) {
            this.inFlight = false;
        }
        return next;
    }

    private void send(WorkerTask unit) {
        WorkerTask current = unit;
        while (current != null) {
            synchronized (this) {
                this.sending = Thread.currentThread();
                this.refusedWhileSending = false;
            }
            this.lane.execute(new Unit(current));
            boolean refused;
            synchronized (this) {
                this.sending = null;
                refused = this.refusedWhileSending;
            }
            current = refused ? poll() : null;
        }
    }

    /** A unit as the lane sees it: a refusal releases the next unit of the key. */
    private final class Unit implements WorkerTask {

        private final WorkerTask unit;

        Unit(WorkerTask unit) {
            this.unit = unit;
        }

        @Override
        public void run() {
            this.unit.run();
        }

        @Override
        public void rejected(Status status, String message) {
            this.unit.rejected(status, message);
            boolean inline;
            synchronized (OrderedDispatch.this) {
                inline = OrderedDispatch.this.sending == Thread.currentThread();
                if (inline) {
                    OrderedDispatch.this.refusedWhileSending = true;
                }
            }
            if (!inline) {
                started(); // refused later, when the lane had room: release the next unit from here
            }
        }
    }
}
