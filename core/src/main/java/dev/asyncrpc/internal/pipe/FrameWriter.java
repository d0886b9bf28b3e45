package dev.asyncrpc.internal.pipe;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.asyncrpc.RemoteCallException;
import dev.asyncrpc.internal.protocol.Frames;
import dev.asyncrpc.internal.protocol.PipeFrames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The write side of a sending pipe end (event loop): writes the queued frames that credit and the
 * channel allow, then the end or abort, takes CREDIT, and completes the stages that this settles
 * off the loop ({@link StageCompletions}). Producers ask for a run with
 * {@link #scheduleFlushLocked()}, which wakes the loop only when it could write something.
 *
 * <p>Thread-safety: {@link #run()} and {@link #onCredit} run on the event loop and take the
 * shared state's monitor; methods named {@code ...Locked} are called with it held.
 */
final class FrameWriter {

    /** What the caller of {@link #run()} has to do next. */
    enum Outcome {
        /** Nothing. */
        NONE,
        /** Encode deferred pushes or ask the publisher for more, off the loop. */
        REFILL,
        /** The end or abort was written: the end leaves the registry and tells its call. */
        ENDED
    }

    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

    private final SenderState s;
    private final StageCompletions completions = new StageCompletions();
    private final OutboundFlowController.Sink sink = new OutboundFlowController.Sink() {
        @Override
        public boolean isWritable() {
            return FrameWriter.this.s.link.isWritable();
        }

        @Override
        public void write(ByteBuf frame) {
            frame.setInt(frame.readerIndex() + Frames.CALL_ID_OFFSET, FrameWriter.this.s.callId);
            FrameWriter.this.s.link.write(frame);
        }

        @Override
        public void awaitWritable() {
            FrameWriter.this.awaitingWritable = true; // run() holds the monitor
            FrameWriter.this.s.link.awaitWritable();
        }
    };

    // ---- guarded by s ----
    private boolean flushScheduled;
    /** Whether the writer waits for the channel to become writable (then the link runs it). */
    private boolean awaitingWritable;
    private boolean writing;

    FrameWriter(SenderState state) {
        this.s = state;
    }

    /**
     * Have the loop write what was queued, unless it could not write it anyway: the head of the
     * queue waits for credit (the CREDIT frame runs the writer) or the writer waits for the channel
     * (its writability event does). A producer ahead of the receiver then wakes the loop once per
     * credit grant, not once per push.
     */
    void scheduleFlushLocked() {
        if (this.s.link != null && !this.flushScheduled && !this.awaitingWritable && !this.s.flow.waitingForCredit()) {
            this.flushScheduled = true;
            this.s.link.schedule();
        }
    }

    /** Write what credit and the channel allow (event loop). */
    Outcome run() {
        List<CompletableFuture<Void>> sent;
        Outcome outcome = Outcome.NONE;
        SenderState st = this.s;
        synchronized (st) {
            this.flushScheduled = false;
            this.awaitingWritable = false;
            if (st.link == null || this.writing || st.state == OutboundState.FAILED) {
                return Outcome.NONE;
            }
            this.writing = true;
            try {
                OutboundFlowController.Flushed f = st.flow.flush(this.sink);
                sent = f.sent();
                if (f.end() != null) {
                    RemoteCallException a = f.end().abort;
                    st.link.write((a == null) ? PipeFrames.end(ALLOC, st.callId, st.index)
                            : PipeFrames.abort(ALLOC, st.callId, st.index, a.status(), a.description()));
                    st.state = st.state.written();
                    outcome = Outcome.ENDED;
                }
                else if (!st.refillScheduled && st.flow.aheadOfCredit() < st.bound / 2
                        && (!st.deferred.isEmpty() || (st.state.isOpen() && st.upstream.wantsDemand()))) {
                    st.refillScheduled = true;
                    outcome = Outcome.REFILL;
                }
            }
            finally {
                this.writing = false;
            }
        }
        completeOffLoop(sent);
        return outcome;
    }

    /**
     * Credit granted by the receiver (event loop): accepts waiting pushes. The caller then runs the
     * writer ({@link #run()}).
     * @return the readiness callback now due, or {@code null}
     */
    Runnable onCredit(long bytes) {
        List<CompletableFuture<Void>> accepted;
        Runnable readyNow;
        synchronized (this.s) {
            if (this.s.flow == null || this.s.state == OutboundState.FAILED) {
                return null;
            }
            accepted = this.s.flow.onCredit(bytes);
            readyNow = this.s.takeReadyLocked();
        }
        completeOffLoop(accepted);
        return readyNow;
    }

    /** Complete stages on the executor (never user code on the loop); completions coalesce. */
    private void completeOffLoop(List<CompletableFuture<Void>> stages) {
        this.completions.complete(stages, this.s.executor);
    }
}
