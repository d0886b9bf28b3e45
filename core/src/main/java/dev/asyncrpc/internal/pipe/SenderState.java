package dev.asyncrpc.internal.pipe;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantLock;

import dev.asyncrpc.RemoteCallException;
import dev.asyncrpc.Status;
import io.netty.buffer.ByteBuf;

/**
 * The state one sending pipe end shares between its parts: the push side ({@link PushIntake}), the
 * write side ({@link FrameWriter}) and the close/abort side ({@link SenderEnding}). The fields marked
 * "guarded" are read and written only while holding this object's monitor; the event loop takes it
 * briefly, so producers encode outside it, serialised by {@link #producer}.
 *
 * <p>A plain object: it holds no buffers (the flow controller does) and starts no work.
 */
final class SenderState {

    /** The connection, as the sending end sees it. */
    interface Link {

        /** Whether the channel takes more now (event loop). */
        boolean isWritable();

        /** Write one frame; takes ownership (event loop). */
        void write(ByteBuf frame);

        /** Run the writer again once the channel is writable (event loop). */
        void awaitWritable();

        /** Run the writer on the event loop soon (any thread). */
        void schedule();
    }

    /** Serialises producers (push, whenSent, the end, refills); taken before the monitor, never inside it. */
    final ReentrantLock producer = new ReentrantLock();
    /** Pushes and markers held as references (guarded). */
    final DeferredPushes deferred = new DeferredPushes();
    /** The source publisher's subscription and demand (guarded). */
    final PipeUpstream upstream = new PipeUpstream();
    /** Names the pipe end in messages. */
    final java.util.function.Supplier<String> describe;

    // ---- guarded by this ----
    OutboundState state = OutboundState.OPEN;
    RemoteCallException failure;
    CompletableFuture<Void> closeStage;
    /** The connection once attached, else {@code null}. */
    Link link;
    int callId;
    /** The pipe's index within its call. */
    int index;
    OutboundFlowController flow;
    /** About how many encoded bytes beyond the credit limit the queue holds at most before pushes are deferred. */
    long bound;
    boolean refillScheduled;
    long encodedBytes;
    long encodedElements;
    private Runnable ready;
    private Executor readyExecutor;

    /** Where callbacks and off-loop completions run (set once at bind). */
    volatile Executor executor;

    SenderState(java.util.function.Supplier<String> describe) {
        this.describe = describe;
    }

    /** Start sending on {@code link} with {@code window} bytes of credit (locked). */
    void attachLocked(Link link, int callId, int index, int window, int frameCap) {
        this.link = link;
        this.callId = callId;
        this.index = index;
        this.flow = new OutboundFlowController(window);
        this.bound = Math.max(window, frameCap);
    }

    boolean isAttached() {
        return this.link != null;
    }

    /**
     * Whether new pushes must wait as references: not attached, others wait, or the queue reaches
     * its bound beyond the credit limit (locked).
     */
    boolean mustDeferLocked() {
        return this.link == null || !this.deferred.isEmpty() || this.flow.aheadOfCredit() >= this.bound;
    }

    /** Whether markers and the end must wait behind deferred pushes, or for the attach (locked). */
    boolean mustDeferEndLocked() {
        return this.link == null || !this.deferred.isEmpty();
    }

    /**
     * Whether a push made now would be accepted at once (locked): the window has room (then nothing
     * is queued beyond the credit limit, so the push is not deferred either).
     */
    boolean isReadyLocked() {
        return this.state.isOpen() && this.link != null && this.deferred.isEmpty() && this.flow.isReady();
    }

    /** Register the readiness callback, replacing one that has not run (locked). */
    void onReadyLocked(Runnable callback, Executor callbackExecutor) {
        this.ready = callback;
        this.readyExecutor = callbackExecutor;
    }

    /**
     * Take the readiness callback if it is due (a push would be accepted at once, or the pipe takes
     * no more pushes), as a task that hands it to its executor; else {@code null} (locked).
     */
    Runnable takeReadyLocked() {
        Runnable cb = this.ready;
        if (cb == null || (this.state.isOpen() && !isReadyLocked())) {
            return null;
        }
        Executor e = (this.readyExecutor != null) ? this.readyExecutor : this.executor;
        this.ready = null;
        this.readyExecutor = null;
        return () -> PipeTable.execute(e, cb);
    }

    /** The failure to give a producer now that the pipe takes no pushes (locked). */
    RemoteCallException refusalLocked() {
        if (this.state == OutboundState.FAILED) {
            return copy(this.failure);
        }
        return new RemoteCallException(Status.CANCELLED, this.describe.get() + " has ended");
    }

    /** The failure for data dropped because the pipe failed or was aborted (locked). */
    RemoteCallException droppedLocked() {
        return (this.failure != null) ? copy(this.failure) : new RemoteCallException(Status.CANCELLED, "pipe ended");
    }

    static void run(Runnable r) {
        if (r != null) {
            r.run();
        }
    }

    static RemoteCallException copy(RemoteCallException ex) {
        return new RemoteCallException(ex.status(), ex.description(), ex.details(), null);
    }

    static RemoteCallException toRemote(Throwable cause) {
        if (cause instanceof RemoteCallException rce) {
            return rce;
        }
        String m = cause.getMessage();
        return new RemoteCallException(Status.APPLICATION_ERROR, (m != null) ? m : cause.getClass().getSimpleName());
    }
}
