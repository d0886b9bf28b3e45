package dev.asyncrpc.internal.server;

import dev.asyncrpc.Status;

/**
 * Work for the worker executor that knows how to end when the executor refuses it. A refused task
 * is never run inline (the submitting thread is often an event loop): it is told so instead.
 */
interface WorkerTask extends Runnable {

    /**
     * The executor refused this task, which never ran. Called on the thread that submitted it (often
     * an event loop): no user code runs here.
     * @param status {@link Status#NOT_DISPATCHED} when the server is stopping, else {@link Status#RESOURCE_EXHAUSTED}
     * @param message why
     */
    void rejected(Status status, String message);

    /** A task for which a refusal needs no more than the report the dispatcher makes. */
    static WorkerTask of(Runnable task) {
        return new WorkerTask() {
            @Override
            public void run() {
                task.run();
            }

            @Override
            public void rejected(Status status, String message) {
            }
        };
    }
}
