package dev.asyncrpc.internal.server;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import dev.asyncrpc.Status;

/**
 * The one way the server hands work to its worker executor. It counts the work waiting for a worker
 * (in connections' {@link WorkLane lanes} and in the executor's queue) and running, gives each
 * connection a lane with a quota, and turns a refusal by the executor into
 * {@link WorkerTask#rejected}: counted, logged (at most once per 10 s), never run inline.
 */
final class WorkerDispatch {

    private static final System.Logger LOG = System.getLogger(WorkerDispatch.class.getName());

    private static final long LOG_INTERVAL_NANOS = 10_000_000_000L;

    private final ExecutorService executor;
    private final int perConnection;
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicInteger running = new AtomicInteger();
    private final LongAdder rejected = new LongAdder();
    private final AtomicLong lastLog = new AtomicLong(System.nanoTime() - LOG_INTERVAL_NANOS);

    /**
     * @param executor the worker executor
     * @param perConnection the most tasks of one connection given to the executor at once
     */
    WorkerDispatch(ExecutorService executor, int perConnection) {
        this.executor = executor;
        this.perConnection = perConnection;
    }

    Executor executor() {
        return this.executor;
    }

    int perConnection() {
        return this.perConnection;
    }

    /** A new connection's lane. */
    WorkLane newLane() {
        return new WorkLane(this, this.perConnection);
    }

    /** Tasks waiting for a worker: in lanes and in the executor's queue. */
    int waiting() {
        return this.waiting.get();
    }

    /** Tasks running on workers now. */
    int running() {
        return this.running.get();
    }

    /** Tasks the executor refused since the server was built. */
    long rejected() {
        return this.rejected.sum();
    }

    void laneQueued(int delta) {
        this.waiting.addAndGet(delta);
    }

    /** Run {@code task} outside any lane (control work: cancel, deadline, disconnect). */
    void execute(WorkerTask task) {
        submit(null, task);
    }

    /**
     * Give {@code task} to the executor.
     * @return {@code false} if the executor refused it (the task has been told)
     */
    boolean submit(WorkLane lane, WorkerTask task) {
        this.waiting.incrementAndGet();
        try {
            this.executor.execute(() -> {
                this.waiting.decrementAndGet();
                this.running.incrementAndGet();
                try {
                    task.run();
                }
                finally {
                    this.running.decrementAndGet();
                    if (lane != null) {
                        lane.done();
                    }
                }
            });
            return true;
        }
        catch (RejectedExecutionException ex) {
            this.waiting.decrementAndGet();
            this.rejected.increment();
            boolean stopping = this.executor.isShutdown();
            String message = stopping ? "the server is shutting down; the call was not run (safe to retry elsewhere)"
                    : "the server's worker executor refused the call (" + ex.getMessage() + "); the call was not run (safe to retry)";
            report(message);
            task.rejected(stopping ? Status.NOT_DISPATCHED : Status.RESOURCE_EXHAUSTED, message);
            return false;
        }
    }

    private void report(String message) {
        long now = System.nanoTime();
        long last = this.lastLog.get();
        if (now - last >= LOG_INTERVAL_NANOS && this.lastLog.compareAndSet(last, now)) {
            LOG.log(System.Logger.Level.WARNING, "asyncrpc server: " + message + "; " + this.rejected.sum() + " refused so far");
        }
    }
}
