package dev.asyncrpc.internal.pipe;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

import dev.asyncrpc.RemoteCallException;

/**
 * The close/abort side of a sending pipe end: {@code close()} (the end after the data), an abort
 * (after the accepted data; pushes not yet accepted are dropped) and a failure (the call ended or
 * the connection was lost: everything queued is dropped). Each moves the shared state along
 * {@link OutboundState}'s transitions and fails the stages it drops, never on the event loop.
 *
 * <p>Thread-safety: any thread; takes the producer lock and the shared state's monitor.
 */
final class SenderEnding {

    private final SenderState s;
    private final FrameWriter writer;

    SenderEnding(SenderState state, FrameWriter writer) {
        this.s = state;
        this.writer = writer;
    }

    /**
     * End the pipe after the data already pushed: closed, or (for a failed upstream publisher)
     * aborted with {@code abort} once its earlier elements have been sent.
     * @return the stage that completes when the end is written
     */
    CompletionStage<Void> end(RemoteCallException abort) {
        SenderState st = this.s;
        st.producer.lock();
        try {
            synchronized (st) {
                if (st.closeStage != null) {
                    return st.closeStage;
                }
                if (st.state.refusesData()) {
                    return CompletableFuture.failedFuture(SenderState.copy(st.failure));
                }
                st.closeStage = new CompletableFuture<>();
                st.state = st.state.closing();
                if (st.mustDeferEndLocked()) {
                    st.deferred.end(abort, st.closeStage);
                }
                else {
                    st.flow.enqueueEnd(abort, new ArrayList<>(List.of(st.closeStage)));
                    this.writer.scheduleFlushLocked();
                }
                return st.closeStage;
            }
        }
        finally {
            st.producer.unlock();
        }
    }

    /**
     * Abort (any thread): pushes not yet accepted are dropped and their stages fail; the abort
     * follows the accepted data, which never waits for the receiver. Does nothing unless the pipe
     * is open or closing.
     */
    void abort(Throwable cause) {
        RemoteCallException ex = SenderState.toRemote(cause);
        List<CompletableFuture<Void>> dropped = new ArrayList<>();
        Flow.Subscription up;
        Runnable readyNow;
        SenderState st = this.s;
        synchronized (st) {
            if (!st.state.canAbort()) {
                return;
            }
            st.state = st.state.aborting();
            st.failure = ex;
            st.deferred.dropAll(dropped);
            if (st.isAttached()) {
                dropped.addAll(st.flow.dropUnaccepted());
                st.flow.enqueueEnd(ex, null);
                this.writer.scheduleFlushLocked();
            }
            else {
                st.deferred.end(ex, null);
            }
            if (st.closeStage != null && !dropped.contains(st.closeStage)) {
                dropped.add(st.closeStage);
            }
            up = st.upstream.detach();
            readyNow = st.takeReadyLocked();
        }
        RemoteCallException dropCause = new RemoteCallException(ex.status(), "the pipe was aborted: " + ex.description());
        for (CompletableFuture<Void> f : dropped) {
            f.completeExceptionally(dropCause);
        }
        if (up != null) {
            up.cancel();
        }
        SenderState.run(readyNow);
    }

    /**
     * Fail the end (any thread): the call ended, was cancelled, or the connection was lost. Queued
     * frames are released; pending stages fail with {@code ex} on the executor, where the upstream
     * publisher is also cancelled. Does nothing once finished.
     * @param failed run once the end failed, before any stage fails (the end leaves the registry)
     */
    void fail(RemoteCallException ex, Runnable failed) {
        List<CompletableFuture<Void>> dropped = new ArrayList<>();
        Flow.Subscription up;
        Runnable readyNow;
        SenderState st = this.s;
        synchronized (st) {
            if (st.state.isFinished()) {
                return;
            }
            st.state = OutboundState.FAILED;
            st.failure = ex;
            if (st.flow != null) {
                dropped.addAll(st.flow.dropAll());
            }
            st.deferred.dropAll(dropped);
            if (st.closeStage != null && !dropped.contains(st.closeStage)) {
                dropped.add(st.closeStage);
            }
            up = st.upstream.detach();
            readyNow = st.takeReadyLocked();
        }
        failed.run();
        if (!dropped.isEmpty() || up != null) {
            PipeTable.execute(st.executor, () -> {
                for (CompletableFuture<Void> f : dropped) {
                    f.completeExceptionally(SenderState.copy(ex));
                }
                if (up != null) {
                    up.cancel();
                }
            });
        }
        SenderState.run(readyNow);
    }
}
