package dev.asyncrpc.internal.pipe;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;

import dev.asyncrpc.PipeInfo;
import dev.asyncrpc.RemoteCallException;
import dev.asyncrpc.internal.codec.ValueCodec;
import io.netty.buffer.ByteBuf;

/**
 * The sending side of one pipe end: binds it to a call and a connection and ties its parts
 * together: the shared state ({@link SenderState}, {@link OutboundState}), the push side
 * ({@link PushIntake}, with {@link ChunkEncoder} and {@link DeferredPushes}), the write side
 * ({@link FrameWriter}, with {@link OutboundFlowController}), the close/abort side
 * ({@link SenderEnding}) and the source publisher ({@link PipeUpstream}).
 *
 * <p>Producers (any thread) encode elements into PIPE_DATA frames and queue them; the event loop
 * writes queued frames while credit and writability allow ({@link #run()}). A push is
 * <em>accepted</em>, and its stage completes, as soon as its elements fit within the receiver's
 * window: at once, on the pushing thread, while the window has room; otherwise on the executor
 * when credit returns. Send complete (everything pushed has been handed to the transport) is
 * {@link #whenSent()}. The queue holds at most about one window of encoded bytes beyond what
 * credit allows (and what credit allows until the channel takes it): pushes beyond that, and
 * pushes made before the end is attached to a call, wait as references and are encoded on the
 * executor when credit returns. A producer that keeps at most a window of pushes unaccepted (one
 * that awaits its push stages) is never held back that way, and encodes everything itself.
 *
 * <p>ByteBuf ownership: queued frames are owned by the flow controller until written (the channel
 * then owns them) or dropped.
 *
 * @param <T> the element type
 */
final class PipeSender<T> implements PipeTable.Task, PipeStats {

    private final PipeEnd<T> end;
    private final Flow.Publisher<? extends T> source;
    private final SenderState s;
    private final FrameWriter writer;
    private final PushIntake intake;
    private final SenderEnding ending;

    // set once when bound to a call (before attach), read by producers
    private volatile ValueCodec codec;
    private volatile boolean raw;
    private volatile PipeIdentity identity;
    private volatile CallPipes owner;
    private volatile PipeRegistry registry;

    PipeSender(PipeEnd<T> end, Flow.Publisher<? extends T> source) {
        this.end = end;
        this.source = source;
        this.s = new SenderState(end::describe);
        this.writer = new FrameWriter(this.s);
        this.intake = new PushIntake(this.s, this.writer);
        this.ending = new SenderEnding(this.s, this.writer);
    }

    PipeIdentity identity() {
        return this.identity;
    }

    /**
     * Bind to one call: codec, executor and owner. Subscribes to the source publisher, if any.
     * @throws IllegalStateException if the end was bound before
     */
    void bind(PipeIdentity identity, ValueCodec codec, boolean raw, Executor executor, CallPipes owner, PipeRegistry registry) {
        synchronized (this.s) {
            if (this.identity != null) {
                throw new IllegalStateException("this " + this.end.kind() + " was already passed to a call (" + this.identity.operation()
                        + "): make a new pipe for each call");
            }
            this.identity = identity;
            this.codec = codec;
            this.raw = raw;
            this.s.executor = executor;
            this.owner = owner;
            this.registry = registry;
        }
        if (this.source != null) {
            this.source.subscribe(this.end);
        }
    }

    /**
     * Attach to the connection once the CALL has been written (loop): start with the peer's window
     * as credit. Deferred pushes are encoded on the executor.
     */
    void attach(PipeTable table, int callId, int peerWindow, int peerMaxFrameSize) {
        ChunkEncoder enc = new ChunkEncoder(this.codec, this.raw, this.identity.index(), peerWindow, peerMaxFrameSize, this.end::describe);
        this.intake.encoder(enc);
        boolean refill;
        Runnable readyNow;
        synchronized (this.s) {
            if (this.s.state == OutboundState.FAILED) {
                return;
            }
            this.s.attachLocked(link(table), callId, this.identity.index(), peerWindow, enc.frameCap());
            refill = !this.s.deferred.isEmpty() || this.s.upstream.isSet();
            if (refill) {
                this.s.refillScheduled = true;
            }
            readyNow = this.s.takeReadyLocked();
        }
        PipeRegistry r = this.registry;
        if (r != null) {
            r.add(this);
        }
        if (refill) {
            execute(this::refill);
        }
        SenderState.run(readyNow);
        run();
    }

    /** The connection as the parts see it: the table, which resumes and schedules this sender. */
    private SenderState.Link link(PipeTable table) {
        return new SenderState.Link() {
            @Override
            public boolean isWritable() {
                return table.isWritable();
            }

            @Override
            public void write(ByteBuf frame) {
                table.write(frame);
            }

            @Override
            public void awaitWritable() {
                table.awaitWritable(PipeSender.this);
            }

            @Override
            public void schedule() {
                table.schedule(PipeSender.this);
            }
        };
    }

    // ---- producer side (any thread but the event loop) ----

    CompletionStage<Void> push(List<? extends T> elements) {
        for (Object e : elements) {
            if (e == null) {
                throw new NullPointerException("pipe elements must not be null");
            }
        }
        synchronized (this.s) {
            checkPushable("push");
        }
        return this.intake.push(elements, true);
    }

    private void checkPushable(String operation) {
        if (this.s.state == OutboundState.CLOSING || this.s.state == OutboundState.ENDED) {
            throw new IllegalStateException(operation + " after close on " + this.end.describe());
        }
        if (this.s.state.isAborted()) {
            throw new IllegalStateException(operation + " after abort on " + this.end.describe());
        }
    }

    /**
     * Send complete: a stage that completes once every element pushed before has been handed to
     * the transport (Microsoft RPC's {@code RPC_C_NOTIFY_ON_SEND_COMPLETE}).
     */
    CompletionStage<Void> whenSent() {
        return this.intake.whenSent();
    }

    /** Whether a push made now would be accepted at once (there is room in the receiver's window). */
    boolean isReady() {
        synchronized (this.s) {
            return this.s.isReadyLocked();
        }
    }

    /**
     * Run {@code callback} once on {@code executor} (or the pipe's) when a push would be accepted at
     * once, or when the pipe can take no more pushes; handed to the executor now if that is already
     * so. Replaces a callback registered before that has not run.
     */
    void onReady(Runnable callback, Executor callbackExecutor) {
        Runnable now;
        synchronized (this.s) {
            this.s.onReadyLocked(callback, callbackExecutor);
            now = this.s.takeReadyLocked();
        }
        SenderState.run(now);
    }

    CompletionStage<Void> close() {
        synchronized (this.s) {
            if (this.s.state.isAborted()) {
                throw new IllegalStateException("close after abort on " + this.end.describe());
            }
        }
        return this.ending.end(null);
    }

    /**
     * Abort (any thread): pushes not yet accepted are dropped and their stages fail; the abort
     * follows the accepted data, which never waits for the receiver.
     */
    void abort(Throwable cause) {
        this.ending.abort(cause);
    }

    /** Encode deferred pushes while there is room, then ask the upstream for more (executor). */
    private void refill() {
        SenderState.run(this.intake.refill());
        requestMore();
    }

    // ---- Flow.Subscriber (the pipe fed by a publisher) ----

    void onSubscribe(Flow.Subscription subscription) {
        boolean attached;
        synchronized (this.s) {
            if (!this.s.state.isOpen() || !this.s.upstream.set(subscription)) {
                subscription.cancel();
                return;
            }
            attached = this.s.isAttached();
        }
        if (attached) {
            requestMore();
        }
    }

    void onNext(T item) {
        synchronized (this.s) {
            this.s.upstream.received();
            if (!this.s.state.isOpen()) {
                return; // the pipe ended: late elements are dropped
            }
        }
        this.intake.push(List.of(item), false);
        requestMore();
    }

    void onError(Throwable t) {
        synchronized (this.s) {
            this.s.upstream.detach();
            if (!this.s.state.isOpen()) {
                return;
            }
        }
        this.ending.end(SenderState.toRemote(t)); // the elements the publisher sent before failing still go first
    }

    void onComplete() {
        synchronized (this.s) {
            this.s.upstream.detach();
            if (!this.s.state.isOpen()) {
                return;
            }
        }
        close();
    }

    /** Request more from the upstream if all requested elements arrived and there is room. Not on the loop. */
    private void requestMore() {
        Flow.Subscription sub;
        long n;
        SenderState st = this.s;
        synchronized (st) {
            if (!st.state.isOpen() || !st.isAttached() || !st.deferred.isEmpty()) {
                return;
            }
            long avg = (st.encodedElements > 0) ? Math.max(1, st.encodedBytes / st.encodedElements) : 0;
            n = st.upstream.demand(st.bound - st.flow.aheadOfCredit(), st.bound, avg);
            sub = st.upstream.subscription();
        }
        if (n > 0) {
            sub.request(n);
        }
    }

    // ---- event loop side ----

    /** Write what credit and the channel allow (event loop). */
    @Override
    public void run() {
        FrameWriter.Outcome outcome = this.writer.run();
        if (outcome == FrameWriter.Outcome.REFILL) {
            execute(this::refill);
        }
        else if (outcome == FrameWriter.Outcome.ENDED) {
            unregister();
            CallPipes o = this.owner;
            if (o != null) {
                o.senderEnded();
            }
        }
    }

    /** Credit granted by the receiver (event loop): accepts waiting pushes and writes what it allows. */
    void onCredit(long bytes) {
        SenderState.run(this.writer.onCredit(bytes));
        run();
    }

    // ---- ending ----

    /**
     * Fail the end (any thread): the call ended, was cancelled, or the connection was lost. Queued
     * frames are released; pending stages fail with {@code ex}. Does nothing once ended.
     */
    void fail(RemoteCallException ex) {
        this.ending.fail(ex, this::unregister);
    }

    private void unregister() {
        PipeRegistry r = this.registry;
        if (r != null) {
            r.remove(this);
        }
    }

    /** Whether the implementer may complete: the pipe was closed (or aborted, or failed). */
    boolean isClosedByApplication() {
        return isClosed();
    }

    /** Whether nothing more will be written: the end or abort went out, or the pipe failed. */
    boolean isFinished() {
        synchronized (this.s) {
            return this.s.state.isFinished();
        }
    }

    /** Whether the end (or an abort after the data) is queued but not yet written. */
    boolean isEnding() {
        synchronized (this.s) {
            return this.s.state.isEnding();
        }
    }

    boolean isClosed() {
        synchronized (this.s) {
            return !this.s.state.isOpen();
        }
    }

    String stateName() {
        synchronized (this.s) {
            return this.s.state.label();
        }
    }

    private void execute(Runnable task) {
        PipeTable.execute(this.s.executor, task);
    }

    @Override
    public PipeInfo info() {
        PipeIdentity id = this.identity;
        synchronized (this.s) {
            OutboundFlowController f = this.s.flow;
            if (f == null) {
                return new PipeInfo(id.operation(), this.s.callId, id.index(), direction(), true, 0, 0, 0, 0, 0, Duration.ZERO);
            }
            return new PipeInfo(id.operation(), this.s.callId, id.index(), direction(), true, f.sentElements(), f.sentOffset(), f.window(),
                    Math.max(0, f.unacknowledged()), f.queuedBytes(), Duration.ofNanos(f.stalledNanos()));
        }
    }

    private PipeInfo.Direction direction() {
        return this.end.isIn() ? PipeInfo.Direction.IN : PipeInfo.Direction.OUT;
    }
}
