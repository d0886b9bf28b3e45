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
    /** The entry watch of the plain call sent last, told when a unit queues behind it. */
    private EntryWatch watch;
    /** The next unit, released on the worker running this key's unit: it runs there next, without a hand-off. */
    private WorkerTask stashed;

    /** The dispatch whose unit this thread is running. */
    private static final ThreadLocal<OrderedDispatch> RUNNING = new ThreadLocal<>();

    OrderedDispatch(WorkLane lane) {
        this.lane = lane;
    }

    /** Submit {@code unit}; it must call {@link #started()} when it begins. */
    void submit(WorkerTask unit) {
        EntryWatch ahead;
        synchronized (this) {
            if (!this.inFlight) {
                this.inFlight = true;
                ahead = null;
            }
            else {
                this.queue.add(unit);
                ahead = this.watch;
                if (ahead == null) {
                    return;
                }
            }
        }
        if (ahead != null) {
            ahead.kick(); // a plain call is ahead: watch for it entering its method
            return;
        }
        send(unit);
    }

    /** The unit submitted last has started: submit the next one. */
    void started() {
        WorkerTask next = poll();
        if (next == null) {
            return;
        }
        if (RUNNING.get() == this) {
            synchronized (this) {
                this.stashed = next; // the worker running this key's unit runs it as soon as that unit ends
                this.watch = (next instanceof ServerCallContext call) ? call.entry : null;
                if (this.watch != null && !this.queue.isEmpty()) {
                    this.watch.kick();
                }
            }
            return;
        }
        send(next);
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
                this.watch = (current instanceof ServerCallContext call) ? call.entry : null;
                if (this.watch != null && !this.queue.isEmpty()) {
                    this.watch.kick();
                }
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
            OrderedDispatch outer = RUNNING.get();
            RUNNING.set(OrderedDispatch.this);
            try {
                this.unit.run();
            }
            finally {
                try {
                    runStashed();
                }
                finally {
                    RUNNING.set(outer);
                }
            }
        }

        /** Run the units released while this one ran, one after another (a loop, not a recursion). */
        private void runStashed() {
            while (true) {
                WorkerTask next;
                synchronized (OrderedDispatch.this) {
                    next = OrderedDispatch.this.stashed;
                    OrderedDispatch.this.stashed = null;
                }
                if (next == null) {
                    return;
                }
                WorkerPool.resumed();
                next.run();
            }
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
