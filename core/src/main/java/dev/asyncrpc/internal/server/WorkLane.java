package dev.asyncrpc.internal.server;

import java.util.ArrayDeque;

/**
 * One connection's share of the workers: at most {@code limit} of its tasks are given to the worker
 * executor at once; the others wait here, in order, so that one connection cannot take every worker
 * (for example with plain implementations parked on pipes that never receive data). Any thread.
 */
final class WorkLane {

    private final WorkerDispatch dispatch;
    private final int limit;
    private final ArrayDeque<WorkerTask> waiting = new ArrayDeque<>();
    private int inFlight;

    WorkLane(WorkerDispatch dispatch, int limit) {
        this.dispatch = dispatch;
        this.limit = limit;
    }

    /** Run {@code task} on a worker when this lane has room; a refusal is reported to the task. */
    void execute(WorkerTask task) {
        synchronized (this) {
            if (this.inFlight >= this.limit) {
                this.waiting.addLast(task);
                this.dispatch.laneQueued(1);
                return;
            }
            this.inFlight++;
        }
        if (!this.dispatch.submit(this, task)) {
            done();
        }
    }

    /** A task of this lane ended (or was refused): the next waiting one goes. */
    void done() {
        while (true) {
            WorkerTask next;
            synchronized (this) {
                next = this.waiting.pollFirst();
                if (next == null) {
                    this.inFlight--;
                    return;
                }
            }
            this.dispatch.laneQueued(-1);
            if (this.dispatch.submit(this, next)) {
                return;
            }
        }
    }

    synchronized int inFlight() {
        return this.inFlight;
    }

    synchronized int waiting() {
        return this.waiting.size();
    }
}
