package dev.asyncrpc.internal.pipe;

import java.util.concurrent.atomic.AtomicBoolean;

import dev.asyncrpc.RemoteCallException;
import dev.asyncrpc.Status;
import dev.asyncrpc.internal.contract.PipeParameter;
import dev.asyncrpc.internal.protocol.FrameType;
import dev.asyncrpc.internal.protocol.Frames;
import dev.asyncrpc.internal.protocol.Settings;
import io.netty.buffer.ByteBuf;

/**
 * The pipe ends of one call on one side, indexed by pipe index. Knows the completion discipline:
 * an implementer may complete only after draining its in-pipes and closing its out-pipes, and its
 * value is sent only after every out-pipe's end has been written. When the call ends, every end
 * that has not ended fails, exactly once.
 */
public final class CallPipes {

    private final String operation;
    private final PipeEnd<?>[] ends;
    private final PipeParameter[] params;
    private final AtomicBoolean finished = new AtomicBoolean();

    // event loop only
    private Runnable heldReply;
    private boolean heldSuccess;

    CallPipes(String operation, PipeEnd<?>[] ends, PipeParameter[] params) {
        this.operation = operation;
        this.ends = ends;
        this.params = params;
    }

    /** Put the implementer's ends into its argument array. */
    public void fill(Object[] values) {
        for (int i = 0; i < this.ends.length; i++) {
            int at = this.params[i].parameterIndex();
            if (at >= 0) {
                values[at] = PublisherAdapters.fromFlow(this.ends[i], this.params[i].binding());
            }
        }
    }

    /**
     * An implementer returned a {@code Flux}: its elements go out through the implicit out-pipe,
     * with the caller's credit as the flux's demand; the pipe closes when the flux completes and
     * aborts when it fails.
     * @return completes (with {@code null}) once the flux has completed and the pipe is closed, or
     *         fails with the flux's failure once the pipe is aborted: the call's outcome
     * @throws IllegalStateException when the operation has no implicit out-pipe or {@code flux} is null
     */
    @SuppressWarnings("unchecked")
    public java.util.concurrent.CompletableFuture<Object> streamFrom(Object flux) {
        PipeEnd<?> out = implicitOut();
        if (out == null) {
            throw new IllegalStateException(this.operation + " has no Flux return to stream from");
        }
        if (flux == null) {
            throw new IllegalStateException(this.operation + " returned null: return a Flux (Flux.empty() for no elements)");
        }
        java.util.concurrent.CompletableFuture<Object> outcome = new java.util.concurrent.CompletableFuture<>();
        java.util.concurrent.Flow.Subscriber<Object> pipe = (java.util.concurrent.Flow.Subscriber<Object>) out;
        PublisherAdapters.subscribe(flux, new java.util.concurrent.Flow.Subscriber<>() {
            @Override
            public void onSubscribe(java.util.concurrent.Flow.Subscription subscription) {
                pipe.onSubscribe(subscription);
            }

            @Override
            public void onNext(Object item) {
                pipe.onNext(item);
            }

            @Override
            public void onError(Throwable failure) {
                pipe.onError(failure);
                outcome.completeExceptionally(failure);
            }

            @Override
            public void onComplete() {
                pipe.onComplete();
                outcome.complete(null);
            }
        });
        return outcome;
    }

    /** The end of the implicit out-pipe of a {@code Flux} return, or {@code null}. */
    public PipeEnd<?> implicitOut() {
        for (int i = 0; i < this.ends.length; i++) {
            if (this.params[i].isImplicit()) {
                return this.ends[i];
            }
        }
        return null;
    }

    PipeEnd<?> end(int index) {
        return (index < this.ends.length) ? this.ends[index] : null;
    }

    /** Bytes pulled so far from the call's receiving ends (for timing callbacks against the work they did). */
    public long bytesPulled() {
        long n = 0;
        for (PipeEnd<?> end : this.ends) {
            if (end.receiver() != null) {
                n += end.receiver().bytesPulled();
            }
        }
        return n;
    }

    String operation() {
        return this.operation;
    }

    /** Attach every end to the connection once the call is known there (event loop). */
    void attach(PipeTable table, int callId, Settings local, Settings peer) {
        for (PipeEnd<?> end : this.ends) {
            if (end.sender() != null) {
                end.sender().attach(table, callId, peer.initialPipeWindow(), peer.maxFrameSize());
            }
            else {
                end.receiver().attach(table, callId, local.initialPipeWindow());
            }
        }
    }

    /**
     * Why the implementer may not complete yet, or {@code null} if it may: an in-pipe not drained
     * to its end, or an out-pipe not closed. Any thread.
     */
    public String disciplineError() {
        for (int i = 0; i < this.ends.length; i++) {
            PipeEnd<?> end = this.ends[i];
            if (end.receiver() != null && end.isIn() && !end.receiver().isDrained()) {
                return "the implementation of " + this.operation + " completed before draining InPipe #" + i
                        + ": pull (or iterate, or subscribe) until the pipe ends before completing";
            }
            if (end.sender() != null && !end.isIn() && !end.sender().isClosedByApplication()) {
                return "the implementation of " + this.operation + " completed without closing OutPipe #" + i
                        + ": close (or abort) every out-pipe before completing";
            }
        }
        return null;
    }

    /**
     * Whether the implementer's outcome must wait for out-pipe data still queued (event loop): a
     * REPLY waits until every out-pipe's end has been written, an ERROR until the out-pipes the
     * implementer closed (or whose publisher failed) have sent their data and end; out-pipes left
     * open are dropped, and so is everything after a deadline or cancel. If so, {@code write} runs
     * on the loop once that is done (or when the connection closes). Does not take ownership of
     * {@code response}: it stays with the caller, which writes or releases it in {@code write}.
     */
    public boolean holdReply(ByteBuf response, Runnable write) {
        boolean success = response.getByte(response.readerIndex() + 4) == FrameType.REPLY.code();
        if (!success) {
            Status status = Status.fromCode(response.getUnsignedShort(response.readerIndex() + Frames.HEADER));
            if (status == Status.DEADLINE_EXCEEDED || status == Status.CANCELLED) {
                return false; // the caller has stopped waiting: nothing is worth flushing first
            }
        }
        if (sendersDone(success)) {
            return false;
        }
        this.heldReply = write;
        this.heldSuccess = success;
        return true;
    }

    private boolean sendersDone(boolean success) {
        for (PipeEnd<?> end : this.ends) {
            PipeSender<?> s = end.sender();
            if (s != null && (success ? !s.isFinished() : s.isEnding())) {
                return false;
            }
        }
        return true;
    }

    /** A sender wrote its end (event loop): release a held outcome if it was the last. */
    void senderEnded() {
        Runnable held = this.heldReply;
        if (held != null && sendersDone(this.heldSuccess)) {
            this.heldReply = null;
            held.run();
        }
    }

    /** Release a held reply without waiting (event loop; the connection is closing). */
    void releaseHeld() {
        Runnable held = this.heldReply;
        this.heldReply = null;
        if (held != null) {
            held.run();
        }
    }

    /**
     * The implementer's outcome frame is about to be written (event loop): end the pipes accordingly.
     * Does not take ownership of {@code frame}, which starts at its length field.
     */
    void finishSending(ByteBuf frame) {
        int type = frame.getByte(frame.readerIndex() + 4);
        finish((type == FrameType.REPLY.code()) ? null : errorOf(frame, frame.readerIndex() + Frames.HEADER));
    }

    private static RemoteCallException errorOf(ByteBuf buf, int at) {
        if (buf.writerIndex() - at < 4) {
            return new RemoteCallException(Status.INTERNAL, "the call failed");
        }
        Status status = Status.fromCode(buf.getUnsignedShort(at));
        int len = Math.min(buf.getUnsignedShort(at + 2), buf.writerIndex() - at - 4);
        return new RemoteCallException(status, buf.toString(at + 4, len, java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * The call ended (any thread): {@code outcome} is {@code null} for a successful completion, else
     * the call's failure. Every end that has not ended fails once: with {@link Status#PIPE_ERROR}
     * after a success (the peer broke the discipline), else with the call's status.
     */
    public void finish(RemoteCallException outcome) {
        if (!this.finished.compareAndSet(false, true)) {
            return;
        }
        for (int i = 0; i < this.ends.length; i++) {
            PipeEnd<?> end = this.ends[i];
            String name = end.kind() + " #" + i + " of " + this.operation;
            RemoteCallException ex = (outcome == null)
                    ? new RemoteCallException(Status.PIPE_ERROR, "the call completed before " + name + " ended")
                    : new RemoteCallException(outcome.status(), name + " ended with its call: " + outcome.description());
            if (end.sender() != null) {
                end.sender().fail(ex);
            }
            else {
                end.receiver().fail(ex); // after the elements that arrived before
                end.receiver().callEnded(ex);
            }
        }
    }

    /** Fail every end that has not ended with {@code ex} (a cancel reached the implementer). */
    void failAll(RemoteCallException ex) {
        for (PipeEnd<?> end : this.ends) {
            if (end.sender() != null) {
                end.sender().fail(ex);
            }
            else {
                end.receiver().fail(ex);
            }
        }
    }
}
