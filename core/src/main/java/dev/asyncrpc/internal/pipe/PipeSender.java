package dev.asyncrpc.internal.pipe;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.locks.ReentrantLock;

import dev.asyncrpc.PipeInfo;
import dev.asyncrpc.RemoteCallException;
import dev.asyncrpc.Status;
import dev.asyncrpc.internal.codec.ValueCodec;
import dev.asyncrpc.internal.protocol.Frames;
import dev.asyncrpc.internal.protocol.PipeFrames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The sending side of one pipe end: ties together the encoder ({@link ChunkEncoder}), the queue,
 * credit and writability ({@link OutboundFlowController}), the publisher bridge
 * ({@link PipeUpstream}) and the state ({@link OutboundState}).
 *
 * <p>Producers (any thread, serialised by {@link #producer}, which keeps encoding outside the
 * monitor the event loop takes) encode elements into PIPE_DATA frames and queue them; the event
 * loop writes queued frames while credit and writability allow ({@link #run()}). A push is
 * <em>accepted</em>, and its stage completes, as soon as its elements fit within the receiver's
 * window: at once, on the pushing thread, while the window has room; otherwise on the executor
 * when credit returns. Send complete (everything pushed has been handed to the transport) is
 * {@link #whenSent()}. The queue holds at most about {@link #bound} encoded bytes: pushes beyond
 * it, and pushes made before the end is attached to a call, wait as references
 * ({@link DeferredPushes}) and are encoded on the executor when room returns.
 *
 * <p>ByteBuf ownership: queued frames are owned by the flow controller until written (the channel
 * then owns them) or dropped.
 *
 * @param <T> the element type
 */
final class PipeSender<T> implements PipeTable.Task, PipeStats {

    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

    private final PipeEnd<T> end;
    private final Flow.Publisher<? extends T> source;
    private final ReentrantLock producer = new ReentrantLock();
    private final StageCompletions completions = new StageCompletions();
    private final OutboundFlowController.Sink sink = new OutboundFlowController.Sink() {
        @Override
        public boolean isWritable() {
            return PipeSender.this.table.isWritable();
        }

        @Override
        public void write(ByteBuf frame) {
            frame.setInt(frame.readerIndex() + Frames.CALL_ID_OFFSET, PipeSender.this.callId);
            PipeSender.this.table.write(frame);
        }

        @Override
        public void awaitWritable() {
            PipeSender.this.awaitingWritable = true; // run() holds the monitor
            PipeSender.this.table.awaitWritable(PipeSender.this);
        }
    };

    // set once when bound to a call (before attach), read by producers
    private volatile ValueCodec codec;
    private volatile boolean raw;
    private volatile Executor executor;
    private volatile PipeIdentity identity;
    private volatile CallPipes owner;
    private volatile PipeRegistry registry;
    /** Producer lock (set at attach, read by producers). */
    private ChunkEncoder encoder;

    // ---- guarded by this ----
    private PipeTable table;
    private int callId;
    private OutboundFlowController flow;
    private long bound;
    private final DeferredPushes deferred = new DeferredPushes();
    private OutboundState state = OutboundState.OPEN;
    private RemoteCallException failure;
    private CompletableFuture<Void> closeStage;
    private boolean flushScheduled;
    /** Whether the writer waits for the channel to become writable (then the table runs it). */
    private boolean awaitingWritable;
    private boolean refillScheduled;
    private boolean writing;
    private final PipeUpstream upstream = new PipeUpstream();
    private long encodedBytes;
    private long encodedElements;
    private Runnable ready;
    private Executor readyExecutor;

    PipeSender(PipeEnd<T> end, Flow.Publisher<? extends T> source) {
        this.end = end;
        this.source = source;
    }

    PipeIdentity identity() {
        return this.identity;
    }

    /**
     * Bind to one call: codec, executor and owner. Subscribes to the source publisher, if any.
     * @throws IllegalStateException if the end was bound before
     */
    void bind(PipeIdentity identity, ValueCodec codec, boolean raw, Executor executor, CallPipes owner, PipeRegistry registry) {
        synchronized (this) {
            if (this.identity != null) {
                throw new IllegalStateException("this " + this.end.kind() + " was already passed to a call (" + this.identity.operation()
                        + "): make a new pipe for each call");
            }
            this.identity = identity;
            this.codec = codec;
            this.raw = raw;
            this.executor = executor;
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
        this.producer.lock(); // publishes the encoder to producers
        try {
            this.encoder = enc;
        }
        finally {
            this.producer.unlock();
        }
        boolean refill;
        Runnable readyNow;
        synchronized (this) {
            if (this.state == OutboundState.FAILED) {
                return;
            }
            this.table = table;
            this.callId = callId;
            this.flow = new OutboundFlowController(peerWindow);
            this.bound = Math.max(peerWindow, enc.frameCap());
            refill = !this.deferred.isEmpty() || this.upstream.isSet();
            if (refill) {
                this.refillScheduled = true;
            }
            readyNow = takeReadyLocked();
        }
        PipeRegistry r = this.registry;
        if (r != null) {
            r.add(this);
        }
        if (refill) {
            execute(this::refill);
        }
        runReady(readyNow);
        run();
    }

    // ---- producer side (any thread but the event loop) ----

    CompletionStage<Void> push(List<? extends T> elements) {
        for (Object e : elements) {
            if (e == null) {
                throw new NullPointerException("pipe elements must not be null");
            }
        }
        synchronized (this) {
            checkPushable("push");
        }
        return push(elements, true);
    }

    /**
     * Encode and queue {@code elements} now if there is room, else hold them.
     * @param wantStage whether the caller wants a stage (a subscriber's element does not)
     */
    private CompletionStage<Void> push(List<?> elements, boolean wantStage) {
        this.producer.lock();
        try {
            boolean busy;
            synchronized (this) {
                if (this.state == OutboundState.FAILED) {
                    return CompletableFuture.failedFuture(copy(this.failure));
                }
                if (this.state != OutboundState.OPEN) {
                    return CompletableFuture.failedFuture(new RemoteCallException(Status.CANCELLED, this.end.describe() + " has ended"));
                }
                if (elements.isEmpty()) {
                    return CompletableFuture.completedFuture(null);
                }
                if (this.table == null || !this.deferred.isEmpty() || this.flow.queuedBytes() >= this.bound) {
                    CompletableFuture<Void> stage = wantStage ? new CompletableFuture<>() : null;
                    this.deferred.push(elements, stage);
                    return (stage != null) ? stage : CompletableFuture.completedFuture(null);
                }
                CompletionStage<Void> appended = appendLocked(elements, wantStage);
                if (appended != null) {
                    return appended;
                }
                busy = !this.flow.isEmpty();
            }
            return encodeAndQueue(elements, busy, wantStage ? null : List.of());
        }
        finally {
            this.producer.unlock();
        }
    }

    /**
     * Copy small raw elements into the room the last queued frame has left, while the loop has not
     * taken it: bursts of small pushes share frames (locked). Either the elements stay within
     * credit (the push is accepted at once), or the frame already lies beyond credit and the push
     * is accepted with it. A frame within credit never grows beyond it: what was accepted must not
     * wait for the receiver again.
     * @return the push's stage, or {@code null} if the elements were not appended
     */
    private CompletionStage<Void> appendLocked(List<?> elements, boolean wantStage) {
        OutboundFlowController.Entry tail = this.flow.tail();
        if (!this.raw || tail == null) {
            return null;
        }
        boolean accepted = this.flow.fits(tail, rawSize(elements));
        if (!accepted && !this.flow.isPending(tail)) {
            return null;
        }
        int n = this.encoder.append(tail.frame, tail.size, tail.elements, elements);
        if (n < 0) {
            return null;
        }
        CompletableFuture<Void> stage = (!accepted && wantStage) ? new CompletableFuture<>() : null;
        this.flow.appended(tail, n, elements.size(), stage);
        this.encodedBytes += n;
        this.encodedElements += elements.size();
        return (stage != null) ? stage : CompletableFuture.completedFuture(null);
    }

    private static int rawSize(List<?> elements) {
        int needed = 0;
        for (Object e : elements) {
            needed += 4 + ((e instanceof byte[] b) ? b.length : ((java.nio.ByteBuffer) e).remaining());
        }
        return needed;
    }

    /**
     * Encode {@code elements} and queue them (producer lock held, monitor not).
     * @param stages the stages to complete on acceptance, or {@code null} to make one
     * @return a completed stage if the push was accepted at once, else the pending stage
     */
    private CompletionStage<Void> encodeAndQueue(List<?> elements, boolean busy, List<CompletableFuture<Void>> stages) {
        List<ChunkEncoder.Encoded> frames;
        try {
            frames = this.encoder.encode(elements, busy);
        }
        catch (RemoteCallException ex) {
            if (stages != null) {
                stages.forEach(f -> f.completeExceptionally(ex));
            }
            return CompletableFuture.failedFuture(ex);
        }
        List<OutboundFlowController.Entry> entries = new ArrayList<>(frames.size());
        int count = 0;
        for (ChunkEncoder.Encoded f : frames) {
            entries.add(OutboundFlowController.Entry.data(f.frame(), f.size(), f.elements()));
            count += f.elements();
        }
        CompletableFuture<Void> made = null;
        List<CompletableFuture<Void>> accepted;
        synchronized (this) {
            if (this.state == OutboundState.FAILED || this.state == OutboundState.ABORTING || this.state == OutboundState.ABORTED) {
                for (ChunkEncoder.Encoded f : frames) {
                    f.frame().release();
                }
                RemoteCallException ex = (this.failure != null) ? copy(this.failure) : new RemoteCallException(Status.CANCELLED, "pipe ended");
                if (stages != null) {
                    stages.forEach(f -> f.completeExceptionally(ex));
                }
                return CompletableFuture.failedFuture(ex);
            }
            List<CompletableFuture<Void>> s = stages;
            if (s == null) {
                made = new CompletableFuture<>();
                s = new ArrayList<>(1);
                s.add(made);
            }
            accepted = this.flow.enqueue(entries, s);
            this.encodedBytes += entries.stream().mapToLong(e -> e.size).sum();
            this.encodedElements += count;
            scheduleFlushLocked();
        }
        if (accepted == null) {
            return (made != null) ? made : CompletableFuture.completedFuture(null);
        }
        if (stages != null) {
            accepted.forEach(f -> f.complete(null)); // deferred pushes: on the executor already
        }
        return CompletableFuture.completedFuture(null);
    }

    private void checkPushable(String operation) {
        if (this.state == OutboundState.CLOSING || this.state == OutboundState.ENDED) {
            throw new IllegalStateException(operation + " after close on " + this.end.describe());
        }
        if (this.state == OutboundState.ABORTING || this.state == OutboundState.ABORTED) {
            throw new IllegalStateException(operation + " after abort on " + this.end.describe());
        }
    }

    /**
     * Send complete: a stage that completes once every element pushed before has been handed to
     * the transport (Microsoft RPC's {@code RPC_C_NOTIFY_ON_SEND_COMPLETE}).
     */
    CompletionStage<Void> whenSent() {
        this.producer.lock();
        try {
            synchronized (this) {
                if (this.state == OutboundState.FAILED) {
                    return CompletableFuture.failedFuture(copy(this.failure));
                }
                if (this.state == OutboundState.ENDED || this.state == OutboundState.ABORTED) {
                    return CompletableFuture.completedFuture(null);
                }
                CompletableFuture<Void> stage = new CompletableFuture<>();
                if (this.table == null || !this.deferred.isEmpty()) {
                    this.deferred.marker(stage);
                }
                else if (this.flow.isEmpty()) {
                    return CompletableFuture.completedFuture(null);
                }
                else {
                    this.flow.enqueueMarker(stage);
                    scheduleFlushLocked();
                }
                return stage;
            }
        }
        finally {
            this.producer.unlock();
        }
    }

    /** Whether a push made now would be accepted at once (there is room in the receiver's window). */
    synchronized boolean isReady() {
        return isReadyLocked();
    }

    private boolean isReadyLocked() {
        return this.state == OutboundState.OPEN && this.table != null && this.deferred.isEmpty() && this.flow.isReady()
                && this.flow.queuedBytes() < this.bound;
    }

    /**
     * Run {@code callback} once on {@code executor} (or the pipe's) when a push would be accepted at
     * once, or when the pipe can take no more pushes; handed to the executor now if that is already
     * so. Replaces a callback registered before that has not run.
     */
    void onReady(Runnable callback, Executor callbackExecutor) {
        Runnable now;
        synchronized (this) {
            this.ready = callback;
            this.readyExecutor = callbackExecutor;
            now = (isReadyLocked() || this.state != OutboundState.OPEN) ? takeReadyLocked() : null;
        }
        runReady(now);
    }

    private Runnable takeReadyLocked() {
        Runnable cb = this.ready;
        if (cb == null || (this.state == OutboundState.OPEN && !isReadyLocked())) {
            return null;
        }
        Executor e = (this.readyExecutor != null) ? this.readyExecutor : this.executor;
        this.ready = null;
        this.readyExecutor = null;
        return () -> PipeTable.execute(e, cb);
    }

    private static void runReady(Runnable r) {
        if (r != null) {
            r.run();
        }
    }

    CompletionStage<Void> close() {
        synchronized (this) {
            if (this.state == OutboundState.ABORTING || this.state == OutboundState.ABORTED) {
                throw new IllegalStateException("close after abort on " + this.end.describe());
            }
        }
        return end(null);
    }

    /**
     * End the pipe after the data already pushed: closed, or (for a failed upstream publisher)
     * aborted with {@code abort} once its earlier elements have been sent.
     */
    private CompletionStage<Void> end(RemoteCallException abort) {
        this.producer.lock();
        try {
            synchronized (this) {
                if (this.closeStage != null) {
                    return this.closeStage;
                }
                if (this.state == OutboundState.FAILED || this.state == OutboundState.ABORTING || this.state == OutboundState.ABORTED) {
                    return CompletableFuture.failedFuture(copy(this.failure));
                }
                this.closeStage = new CompletableFuture<>();
                this.state = OutboundState.CLOSING;
                if (this.table == null || !this.deferred.isEmpty()) {
                    this.deferred.end(abort, this.closeStage);
                }
                else {
                    this.flow.enqueueEnd(abort, new ArrayList<>(List.of(this.closeStage)));
                    scheduleFlushLocked();
                }
                return this.closeStage;
            }
        }
        finally {
            this.producer.unlock();
        }
    }

    /**
     * Abort (any thread): pushes not yet accepted are dropped and their stages fail; the abort
     * follows the accepted data, which never waits for the receiver.
     */
    void abort(Throwable cause) {
        RemoteCallException ex = toRemote(cause);
        List<CompletableFuture<Void>> dropped = new ArrayList<>();
        Flow.Subscription up;
        Runnable readyNow;
        synchronized (this) {
            if (this.state != OutboundState.OPEN && this.state != OutboundState.CLOSING) {
                return;
            }
            this.state = OutboundState.ABORTING;
            this.failure = ex;
            this.deferred.dropAll(dropped);
            if (this.table != null) {
                dropped.addAll(this.flow.dropUnaccepted());
                this.flow.enqueueEnd(ex, null);
                scheduleFlushLocked();
            }
            else {
                this.deferred.end(ex, null);
            }
            if (this.closeStage != null && !dropped.contains(this.closeStage)) {
                dropped.add(this.closeStage);
            }
            up = this.upstream.detach();
            readyNow = takeReadyLocked();
        }
        RemoteCallException dropCause = new RemoteCallException(ex.status(), "the pipe was aborted: " + ex.description());
        for (CompletableFuture<Void> f : dropped) {
            f.completeExceptionally(dropCause);
        }
        if (up != null) {
            up.cancel();
        }
        runReady(readyNow);
    }

    private static RemoteCallException toRemote(Throwable cause) {
        if (cause instanceof RemoteCallException rce) {
            return rce;
        }
        String m = cause.getMessage();
        return new RemoteCallException(Status.APPLICATION_ERROR, (m != null) ? m : cause.getClass().getSimpleName());
    }

    /** Encode deferred pushes while there is room, then ask the upstream for more (executor). */
    private void refill() {
        Runnable readyNow;
        this.producer.lock();
        try {
            while (true) {
                DeferredPushes.Deferred d;
                boolean busy;
                synchronized (this) {
                    if (this.state == OutboundState.FAILED || this.table == null) {
                        this.refillScheduled = false;
                        return;
                    }
                    if (this.flow.queuedBytes() >= this.bound || (d = this.deferred.poll()) == null) {
                        this.refillScheduled = false;
                        break;
                    }
                    if (d.end) {
                        this.flow.enqueueEnd(d.abort, d.stages);
                        scheduleFlushLocked();
                        continue;
                    }
                    if (d.marker) {
                        this.flow.enqueueMarker(d.stages.get(0));
                        scheduleFlushLocked();
                        continue;
                    }
                    busy = !this.flow.isEmpty();
                }
                encodeAndQueue(d.elements, busy, d.stages);
            }
            synchronized (this) {
                readyNow = takeReadyLocked();
            }
        }
        finally {
            this.producer.unlock();
        }
        runReady(readyNow);
        requestMore();
    }

    // ---- Flow.Subscriber (the pipe fed by a publisher) ----

    void onSubscribe(Flow.Subscription subscription) {
        boolean attached;
        synchronized (this) {
            if (this.state != OutboundState.OPEN || !this.upstream.set(subscription)) {
                subscription.cancel();
                return;
            }
            attached = this.table != null;
        }
        if (attached) {
            requestMore();
        }
    }

    void onNext(T item) {
        synchronized (this) {
            this.upstream.received();
            if (this.state != OutboundState.OPEN) {
                return; // the pipe ended: late elements are dropped
            }
        }
        push(List.of(item), false);
        requestMore();
    }

    void onError(Throwable t) {
        synchronized (this) {
            this.upstream.detach();
            if (this.state != OutboundState.OPEN) {
                return;
            }
        }
        end(toRemote(t)); // the elements the publisher sent before failing still go first
    }

    void onComplete() {
        synchronized (this) {
            this.upstream.detach();
            if (this.state != OutboundState.OPEN) {
                return;
            }
        }
        close();
    }

    /** Request more from the upstream if all requested elements arrived and there is room. Not on the loop. */
    private void requestMore() {
        Flow.Subscription s;
        long n;
        synchronized (this) {
            if (this.state != OutboundState.OPEN || this.table == null || !this.deferred.isEmpty()) {
                return;
            }
            long avg = (this.encodedElements > 0) ? Math.max(1, this.encodedBytes / this.encodedElements) : 0;
            n = this.upstream.demand(this.bound - this.flow.queuedBytes(), this.bound, avg);
            s = this.upstream.subscription();
        }
        if (n > 0) {
            s.request(n);
        }
    }

    // ---- event loop side ----

    /**
     * Have the loop write what was queued, unless it could not write it anyway: the head of the
     * queue waits for credit (the CREDIT frame runs the writer) or the writer waits for the channel
     * (its writability event does). A producer ahead of the receiver then wakes the loop once per
     * credit grant, not once per push.
     */
    private void scheduleFlushLocked() {
        if (this.table != null && !this.flushScheduled && !this.awaitingWritable && !this.flow.waitingForCredit()) {
            this.flushScheduled = true;
            this.table.schedule(this);
        }
    }

    /** Write what credit and the channel allow (event loop). */
    @Override
    public void run() {
        List<CompletableFuture<Void>> sent = List.of();
        boolean ended = false;
        boolean refill = false;
        synchronized (this) {
            this.flushScheduled = false;
            this.awaitingWritable = false;
            if (this.table == null || this.writing || this.state == OutboundState.FAILED) {
                return;
            }
            this.writing = true;
            try {
                OutboundFlowController.Flushed f = this.flow.flush(this.sink);
                sent = f.sent();
                if (f.end() != null) {
                    RemoteCallException a = f.end().abort;
                    this.table.write((a == null) ? PipeFrames.end(ALLOC, this.callId, this.identity.index())
                            : PipeFrames.abort(ALLOC, this.callId, this.identity.index(), a.status(), a.description()));
                    this.state = (this.state == OutboundState.ABORTING) ? OutboundState.ABORTED : OutboundState.ENDED;
                    ended = true;
                }
                else if (!this.refillScheduled && this.flow.queuedBytes() < this.bound / 2
                        && (!this.deferred.isEmpty() || (this.state == OutboundState.OPEN && this.upstream.wantsDemand()))) {
                    this.refillScheduled = true;
                    refill = true;
                }
            }
            finally {
                this.writing = false;
            }
        }
        completeOffLoop(sent);
        if (refill) {
            execute(this::refill);
        }
        if (ended) {
            unregister();
            CallPipes o = this.owner;
            if (o != null) {
                o.senderEnded();
            }
        }
    }

    /** Credit granted by the receiver (event loop): accepts waiting pushes and writes what it allows. */
    void onCredit(long bytes) {
        List<CompletableFuture<Void>> accepted;
        Runnable readyNow;
        synchronized (this) {
            if (this.flow == null || this.state == OutboundState.FAILED) {
                return;
            }
            accepted = this.flow.onCredit(bytes);
            readyNow = takeReadyLocked();
        }
        completeOffLoop(accepted);
        runReady(readyNow);
        run();
    }

    /** Complete stages on the executor (never user code on the loop); completions coalesce. */
    private void completeOffLoop(List<CompletableFuture<Void>> stages) {
        this.completions.complete(stages, this.executor);
    }

    // ---- ending ----

    /**
     * Fail the end (any thread): the call ended, was cancelled, or the connection was lost. Queued
     * frames are released; pending stages fail with {@code ex}. Does nothing once ended.
     */
    void fail(RemoteCallException ex) {
        List<CompletableFuture<Void>> dropped = new ArrayList<>();
        Flow.Subscription up;
        Runnable readyNow;
        synchronized (this) {
            if (this.state == OutboundState.ENDED || this.state == OutboundState.ABORTED || this.state == OutboundState.FAILED) {
                return;
            }
            this.state = OutboundState.FAILED;
            this.failure = ex;
            if (this.flow != null) {
                dropped.addAll(this.flow.dropAll());
            }
            this.deferred.dropAll(dropped);
            if (this.closeStage != null && !dropped.contains(this.closeStage)) {
                dropped.add(this.closeStage);
            }
            up = this.upstream.detach();
            readyNow = takeReadyLocked();
        }
        unregister();
        if (!dropped.isEmpty() || up != null) {
            execute(() -> {
                for (CompletableFuture<Void> f : dropped) {
                    f.completeExceptionally(copy(ex));
                }
                if (up != null) {
                    up.cancel();
                }
            });
        }
        runReady(readyNow);
    }

    private void unregister() {
        PipeRegistry r = this.registry;
        if (r != null) {
            r.remove(this);
        }
    }

    /** Whether the implementer may complete: the pipe was closed (or aborted, or failed). */
    synchronized boolean isClosedByApplication() {
        return this.state != OutboundState.OPEN;
    }

    /** Whether nothing more will be written: the end or abort went out, or the pipe failed. */
    synchronized boolean isFinished() {
        return this.state == OutboundState.ENDED || this.state == OutboundState.ABORTED || this.state == OutboundState.FAILED;
    }

    /** Whether the end (or an abort after the data) is queued but not yet written. */
    synchronized boolean isEnding() {
        return this.state == OutboundState.CLOSING || this.state == OutboundState.ABORTING;
    }

    synchronized boolean isClosed() {
        return this.state != OutboundState.OPEN;
    }

    synchronized String stateName() {
        return this.state.label();
    }

    private static RemoteCallException copy(RemoteCallException ex) {
        return new RemoteCallException(ex.status(), ex.description(), ex.details(), null);
    }

    private void execute(Runnable task) {
        PipeTable.execute(this.executor, task);
    }

    @Override
    public PipeInfo info() {
        PipeIdentity id = this.identity;
        synchronized (this) {
            OutboundFlowController f = this.flow;
            int window = (f != null) ? f.window() : 0;
            return new PipeInfo(id.operation(), this.callId, id.index(), this.end.isIn() ? PipeInfo.Direction.IN : PipeInfo.Direction.OUT,
                    true, (f != null) ? f.sentElements() : 0, (f != null) ? f.sentOffset() : 0, window,
                    (f != null) ? Math.max(0, f.unacknowledged()) : 0, (f != null) ? f.queuedBytes() : 0,
                    Duration.ofNanos((f != null) ? f.stalledNanos() : 0));
        }
    }
}
