package dev.asyncrpc.internal.pipe;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Completes a sender's push and send-complete stages off the event loop, where their dependent
 * actions (user code) may run. If a thread is blocked on a {@link PushStage} of a batch, the whole
 * batch is handed to that thread, which completes it itself (no executor task). Otherwise the batch
 * completes on the executor: at
 * most one task is queued there at a time, and stages gathered while it is queued or running join
 * it, so a burst of acceptances costs one task. Thread-safe.
 */
final class StageCompletions {

    /** Stages waiting for the task, or {@code null}; guarded by this. */
    private List<CompletableFuture<Void>> pending;
    /** Whether a task is queued or running; guarded by this. */
    private boolean scheduled;

    /**
     * Complete {@code stages} normally on {@code executor} (or on this thread if the executor is
     * {@code null} or refuses the task, as {@link PipeTable#execute} does).
     */
    void complete(List<CompletableFuture<Void>> stages, Executor executor) {
        if (stages.isEmpty()) {
            return;
        }
        for (CompletableFuture<Void> f : stages) {
            if (f instanceof PushStage p && p.handToWaiter(stages)) {
                return; // its waiter completes the whole batch
            }
        }
        List<CompletableFuture<Void>> left = stages;
        synchronized (this) {
            if (this.pending == null) {
                this.pending = new ArrayList<>(left);
            }
            else {
                this.pending.addAll(left);
            }
            if (this.scheduled) {
                return;
            }
            this.scheduled = true;
        }
        PipeTable.execute(executor, this::drain);
    }

    private void drain() {
        while (true) {
            List<CompletableFuture<Void>> batch;
            synchronized (this) {
                batch = this.pending;
                this.pending = null;
                if (batch == null) {
                    this.scheduled = false;
                    return;
                }
            }
            for (CompletableFuture<Void> f : batch) {
                f.complete(null);
            }
        }
    }
}
