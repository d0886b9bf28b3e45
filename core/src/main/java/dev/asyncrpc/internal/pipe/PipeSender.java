package dev.asyncrpc.internal.pipe;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.locks.ReentrantLock;

import dev.asyncrpc.PipeInfo;
import dev.asyncrpc.RemoteCallException;
import dev.asyncrpc.Status;
import dev.asyncrpc.internal.codec.CodecException;
import dev.asyncrpc.internal.codec.ValueCodec;
import dev.asyncrpc.internal.protocol.Frames;
import dev.asyncrpc.internal.protocol.PipeFrames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.buffer.UnpooledHeapByteBuf;

/**
 * The sending side of one pipe end.
 *
 * <p>Producers (any thread, serialised by {@link #producer}) encode elements straight into
 * PIPE_DATA frames and queue them; the connection's event loop writes queued frames while the
 * receiver's credit allows ({@link #run()}), and the stages of written pushes complete on the
 * executor. The queue holds at most about {@link #bound} encoded bytes: pushes beyond it, and
 * pushes made before the end is attached to a call, wait as references ({@link Deferred}) and are
 * encoded on the executor when room returns. A {@link Flow.Subscription} feeding the pipe is asked
 * for more only while there is room, so its demand follows credit.
 *
 * <p>ByteBuf ownership: queued frames are owned by this sender until written (the channel then owns
 * them) or until the pipe fails, which releases them.
 *
 * @param <T> the element type
 */
final class PipeSender<T> implements PipeTable.Task, PipeStats {

    private static final int OPEN = 0;
    private static final int CLOSING = 1;
    private static final int ENDED = 2;
    private static final int ABORTED = 3;
    private static final int FAILED = 4;

    /** Soft frame size: a push of many small elements is cut into frames of about this size. */
    private static final int SOFT_FRAME_BYTES = 128 * 1024;

    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

    /** One encoded PIPE_DATA frame, or the end ({@code frame == null}). */
    private static final class Chunk {
        final ByteBuf frame;
        int size;
        int elements;
        /** Stages that complete when this chunk is written, or {@code null}. */
        List<CompletableFuture<Void>> stages;
        /** For the end: abort with this after the data instead of closing, or {@code null}. */
        RemoteCallException abort;

        Chunk(ByteBuf frame, int size, int elements) {
            this.frame = frame;
            this.size = size;
            this.elements = elements;
        }
    }

    /**
     * Pushes (or the close) waiting to be encoded; holds references to the elements only. Small
     * pushes made while the event loop is busy are merged into one, so that they share frames.
     */
    private static final class Deferred {
        final List<Object> elements;
        final List<CompletableFuture<Void>> stages = new ArrayList<>(1);
        final boolean end;
        RemoteCallException abort;

        Deferred(List<?> elements, CompletableFuture<Void> stage, boolean end) {
            this.elements = new ArrayList<>(elements);
            this.end = end;
            if (stage != null) {
                this.stages.add(stage);
            }
        }
    }

    /** The most elements merged into one deferred push. */
    private static final int MERGE_LIMIT = 4096;

    private final PipeEnd<T> end;
    private final Flow.Publisher<? extends T> source;
    private final ReentrantLock producer = new ReentrantLock();

    // set once when bound to a call (before attach), read by producers
    private volatile ValueCodec codec;
    private volatile boolean raw;
    private volatile Executor executor;
    private volatile PipeIdentity identity;
    private volatile CallPipes owner;
    private volatile PipeRegistry registry;

    // ---- guarded by this ----
    private PipeTable table;
    private int callId;
    private long credit;
    private int window;
    private int frameCap;
    private int softTarget;
    private long bound;
    private final ArrayDeque<Chunk> queue = new ArrayDeque<>();
    private final ArrayDeque<Deferred> deferred = new ArrayDeque<>();
    private long queuedBytes;
    private int state = OPEN;
    private RemoteCallException failure;
    private CompletableFuture<Void> closeStage;
    private boolean flushScheduled;
    private boolean refillScheduled;
    private boolean abortPending;
    private boolean writing;
    private Flow.Subscription upstream;
    private long outstanding;
    private long encodedBytes;
    private long encodedElements;
    private long elementsSent;
    private long bytesSent;
    private long stalledNanos;
    private long stallStart;
    /** Stages of written chunks waiting to be completed on the executor, and whether a task will. */
    private List<CompletableFuture<Void>> written;
    private boolean completing;

    PipeSender(PipeEnd<T> end, Flow.Publisher<? extends T> source) {
        this.end = end;
        this.source = source;
    }

    PipeIdentity identity() {
        return this.identity;
    }

    /**
     * Bind to one call: codec, executor and owner (the caller's thread at issue, or the loop on the
     * implementer's side). Subscribes to the source publisher, if any.
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
        boolean refill;
        synchronized (this) {
            if (this.state == FAILED) {
                return;
            }
            this.table = table;
            this.callId = callId;
            this.window = peerWindow;
            this.credit = peerWindow;
            this.frameCap = Math.min(Math.max(1, peerWindow / 2), peerMaxFrameSize - Frames.HEADER_AFTER_LENGTH);
            this.softTarget = Math.min(this.frameCap, SOFT_FRAME_BYTES);
            this.bound = Math.max(peerWindow, this.frameCap);
            refill = !this.deferred.isEmpty() || this.upstream != null;
            if (refill) {
                this.refillScheduled = true;
            }
        }
        PipeRegistry r = this.registry;
        if (r != null) {
            r.add(this);
        }
        if (refill) {
            execute(this::refill);
        }
        run();
    }

    // ---- producer side (any thread but the event loop) ----

    CompletionStage<Void> push(List<? extends T> elements) {
        for (Object e : elements) {
            if (e == null) {
                throw new NullPointerException("pipe elements must not be null");
            }
        }
        CompletableFuture<Void> stage = new CompletableFuture<>();
        synchronized (this) {
            checkPushable("push");
        }
        return push(elements, stage);
    }

    /**
     * Encode and queue {@code elements} now if they fit, else hold them (merged with earlier small
     * pushes while the loop is busy writing). {@code stage} may be {@code null} (a subscriber's element).
     */
    private CompletionStage<Void> push(List<?> elements, CompletableFuture<Void> stage) {
        this.producer.lock();
        try {
            synchronized (this) {
                if (this.state == FAILED) {
                    return CompletableFuture.failedFuture(copy(this.failure));
                }
                if (this.state != OPEN) {
                    return CompletableFuture.failedFuture(new RemoteCallException(Status.CANCELLED, this.end.describe() + " has ended"));
                }
                if (elements.isEmpty()) {
                    return CompletableFuture.completedFuture(null);
                }
                boolean busy = !this.raw && !this.queue.isEmpty();
                if (this.table == null || !this.deferred.isEmpty() || this.queuedBytes >= this.bound || busy) {
                    Deferred last = this.deferred.peekLast();
                    if (!this.raw && last != null && !last.end && last.elements.size() + elements.size() <= MERGE_LIMIT) {
                        last.elements.addAll(elements);
                        if (stage != null) {
                            last.stages.add(stage);
                        }
                    }
                    else {
                        this.deferred.add(new Deferred(elements, stage, false));
                    }
                    return (stage != null) ? stage : CompletableFuture.completedFuture(null);
                }
            }
            if (!this.raw || !appendToTail(elements, stage)) {
                encodeAndQueue(elements, (stage != null) ? new ArrayList<>(List.of(stage)) : null);
            }
            return (stage != null) ? stage : CompletableFuture.completedFuture(null);
        }
        finally {
            this.producer.unlock();
        }
    }

    private void checkPushable(String operation) {
        if (this.state == CLOSING || this.state == ENDED) {
            throw new IllegalStateException(operation + " after close on " + this.end.describe());
        }
        if (this.state == ABORTED) {
            throw new IllegalStateException(operation + " after abort on " + this.end.describe());
        }
    }

    CompletionStage<Void> close() {
        synchronized (this) {
            if (this.state == ABORTED) {
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
                if (this.state == FAILED || this.state == ABORTED) {
                    return CompletableFuture.failedFuture(copy(this.failure));
                }
                this.closeStage = new CompletableFuture<>();
                this.state = CLOSING;
                if (this.table == null || !this.deferred.isEmpty()) {
                    Deferred d = new Deferred(List.of(), this.closeStage, true);
                    d.abort = abort;
                    this.deferred.add(d);
                }
                else {
                    Chunk c = new Chunk(null, 0, 0);
                    c.stages = List.of(this.closeStage);
                    c.abort = abort;
                    this.queue.add(c);
                    scheduleFlushLocked();
                }
                return this.closeStage;
            }
        }
        finally {
            this.producer.unlock();
        }
    }

    void abort(Throwable cause) {
        RemoteCallException ex = toRemote(cause);
        List<CompletableFuture<Void>> dropped;
        Flow.Subscription up;
        synchronized (this) {
            if (this.state == ENDED || this.state == ABORTED || this.state == FAILED) {
                return;
            }
            this.state = ABORTED;
            this.failure = ex;
            dropped = dropQueuedLocked();
            this.abortPending = true;
            up = this.upstream;
            this.upstream = null;
            if (this.table != null) {
                scheduleFlushLocked();
            }
        }
        RemoteCallException dropCause = new RemoteCallException(ex.status(), "the pipe was aborted: " + ex.description());
        for (CompletableFuture<Void> f : dropped) {
            f.completeExceptionally(dropCause);
        }
        if (up != null) {
            up.cancel();
        }
    }

    private static RemoteCallException toRemote(Throwable cause) {
        if (cause instanceof RemoteCallException rce) {
            return rce;
        }
        String m = cause.getMessage();
        return new RemoteCallException(Status.APPLICATION_ERROR, (m != null) ? m : cause.getClass().getSimpleName());
    }

    /**
     * While the loop has not yet taken the last queued frame, copy small raw elements into the room
     * it has left, so that bursts of small pushes share frames (producer lock held).
     * @return whether the elements were appended
     */
    private boolean appendToTail(List<?> elements, CompletableFuture<Void> stage) {
        int needed = 0;
        for (Object e : elements) {
            needed += 4 + ((e instanceof byte[] b) ? b.length : ((java.nio.ByteBuffer) e).remaining());
        }
        synchronized (this) {
            Chunk tail = this.queue.peekLast();
            if (tail == null || tail.frame == null || tail.size + needed > this.softTarget || tail.elements + elements.size() > PipeFrames.MAX_COUNT
                    || tail.frame.writableBytes() < needed || this.state != OPEN) {
                return false;
            }
            ByteBuf f = tail.frame;
            for (Object e : elements) {
                if (e instanceof byte[] b) {
                    f.writeInt(b.length).writeBytes(b);
                }
                else {
                    java.nio.ByteBuffer bb = ((java.nio.ByteBuffer) e).duplicate();
                    f.writeInt(bb.remaining()).writeBytes(bb);
                }
            }
            tail.elements += elements.size();
            tail.size += needed;
            PipeFrames.finishData(f, tail.elements);
            this.queuedBytes += needed;
            this.encodedBytes += needed;
            this.encodedElements += elements.size();
            if (stage != null) {
                if (tail.stages == null) {
                    tail.stages = new ArrayList<>(4);
                }
                tail.stages.add(stage);
            }
            return true;
        }
    }

    /** Encode {@code elements} into frames and queue them (producer lock held). */
    private void encodeAndQueue(List<?> elements, List<CompletableFuture<Void>> stages) {
        List<Chunk> chunks;
        try {
            chunks = encode(elements);
        }
        catch (RemoteCallException ex) {
            if (stages != null) {
                for (CompletableFuture<Void> f : stages) {
                    f.completeExceptionally(ex);
                }
            }
            return;
        }
        chunks.get(chunks.size() - 1).stages = stages;
        synchronized (this) {
            if (this.state == FAILED || this.state == ABORTED) {
                for (Chunk c : chunks) {
                    c.frame.release();
                }
                RemoteCallException f = this.failure;
                if (stages != null) {
                    for (CompletableFuture<Void> st : stages) {
                        st.completeExceptionally(f != null ? copy(f) : new RemoteCallException(Status.CANCELLED, "pipe ended"));
                    }
                }
                return;
            }
            for (Chunk c : chunks) {
                this.queue.add(c);
                this.queuedBytes += c.size;
                this.encodedBytes += c.size;
                this.encodedElements += c.elements;
            }
            scheduleFlushLocked();
        }
    }

    /**
     * Encode elements into PIPE_DATA frames of at most {@link #frameCap} payload bytes, cutting at
     * about {@link #softTarget}. Raw elements ({@code byte[]}, {@code ByteBuffer}) are copied
     * straight into the frame; others are encoded into a heap scratch buffer first and copied into
     * frames in one piece each. Producer lock held; attached.
     * @return new frames owned by the caller
     * @throws RemoteCallException if an element cannot be encoded or is too large
     */
    private List<Chunk> encode(List<?> elements) {
        return this.raw ? encodeRaw(elements) : encodeValues(elements);
    }

    /** Scratch space for encoding values; producer lock held. Not pooled, not reference-tracked. */
    private ByteBuf scratch;

    private List<Chunk> encodeValues(List<?> elements) {
        ValueCodec c = this.codec;
        int index = this.identity.index();
        int cap;
        int soft;
        synchronized (this) {
            cap = this.frameCap;
            soft = this.softTarget;
        }
        ByteBuf s = this.scratch;
        if (s == null) {
            s = new UnpooledHeapByteBuf(UnpooledByteBufAllocator.DEFAULT, 4096, Integer.MAX_VALUE);
        }
        s.clear();
        int n = elements.size();
        int[] ends = new int[n];
        for (int i = 0; i < n; i++) {
            int at = s.writerIndex();
            s.writeInt(0);
            try {
                c.encode(elements.get(i), s);
            }
            catch (CodecException | ClassCastException ex) {
                throw new RemoteCallException(Status.INVALID_ARGUMENT, "cannot encode an element of " + this.end.describe() + ": "
                        + ex.getMessage(), Map.of(), ex);
            }
            int length = s.writerIndex() - at - 4;
            s.setInt(at, length);
            if (PipeFrames.DATA_HEADER + 4 + length > cap) {
                throw tooLarge(length, cap);
            }
            ends[i] = s.writerIndex();
        }
        this.scratch = (s.capacity() <= 1024 * 1024) ? s : null;
        List<Chunk> out = new ArrayList<>(1);
        try {
            int from = 0;
            int first = 0;
            for (int i = 0; i < n; i++) {
                if (PipeFrames.DATA_HEADER + ends[i] - from > cap) {
                    out.add(frameOf(s, index, from, ends[i - 1], i - first));
                    from = ends[i - 1];
                    first = i;
                }
                if (PipeFrames.DATA_HEADER + ends[i] - from >= soft || i + 1 - first == PipeFrames.MAX_COUNT) {
                    out.add(frameOf(s, index, from, ends[i], i + 1 - first));
                    from = ends[i];
                    first = i + 1;
                }
            }
            if (first < n) {
                out.add(frameOf(s, index, from, ends[n - 1], n - first));
            }
            return out;
        }
        catch (RuntimeException ex) {
            for (Chunk ch : out) {
                ch.frame.release();
            }
            throw ex;
        }
    }

    private static Chunk frameOf(ByteBuf scratch, int index, int from, int to, int count) {
        ByteBuf frame = PipeFrames.startData(ALLOC, index, to - from);
        frame.writeBytes(scratch, from, to - from);
        return seal(frame, count);
    }

    private List<Chunk> encodeRaw(List<?> elements) {
        ValueCodec c = this.codec;
        int index = this.identity.index();
        int cap;
        int soft;
        boolean busy;
        synchronized (this) {
            cap = this.frameCap;
            soft = this.softTarget;
            busy = !this.queue.isEmpty();
        }
        List<Chunk> out = new ArrayList<>(1);
        ByteBuf frame = null;
        int count = 0;
        try {
            for (int i = 0; i < elements.size(); i++) {
                Object e = elements.get(i);
                if (frame == null) {
                    int hint = hint(e, elements.size() - i);
                    // the loop is busy: leave room for the next small pushes (see appendToTail)
                    frame = PipeFrames.startData(ALLOC, index, busy ? Math.max(hint, Math.min(soft, 8 * hint)) : hint);
                    count = 0;
                }
                int at = frame.writerIndex();
                frame.writeInt(0);
                try {
                    c.encode(e, frame);
                }
                catch (CodecException | ClassCastException ex) {
                    throw new RemoteCallException(Status.INVALID_ARGUMENT, "cannot encode an element of " + this.end.describe() + ": "
                            + ex.getMessage(), Map.of(), ex);
                }
                int length = frame.writerIndex() - at - 4;
                frame.setInt(at, length);
                if (payload(frame) > cap) {
                    if (count == 0) {
                        throw tooLarge(length, cap);
                    }
                    ByteBuf next = PipeFrames.startData(ALLOC, index, length + 4);
                    next.writeBytes(frame, at, length + 4);
                    frame.writerIndex(at);
                    out.add(seal(frame, count));
                    frame = next;
                    count = 0;
                    if (payload(frame) > cap) {
                        throw tooLarge(length, cap);
                    }
                }
                count++;
                if (payload(frame) >= soft || count == PipeFrames.MAX_COUNT) {
                    out.add(seal(frame, count));
                    frame = null;
                }
            }
            if (frame != null) {
                out.add(seal(frame, count));
                frame = null;
            }
            return out;
        }
        catch (RuntimeException ex) {
            if (frame != null) {
                frame.release();
            }
            for (Chunk ch : out) {
                ch.frame.release();
            }
            throw ex;
        }
    }

    private RemoteCallException tooLarge(int length, int cap) {
        return new RemoteCallException(Status.RESOURCE_EXHAUSTED, "an element of " + this.end.describe() + " takes " + length
                + " bytes, more than a pipe frame carries (" + (cap - PipeFrames.DATA_HEADER - 4)
                + " bytes: half the receiver's pipe window of " + this.window + " bytes, within its maxFrameSize); raise the receiver's pipe window or send smaller elements");
    }

    private static int payload(ByteBuf frame) {
        return frame.writerIndex() - frame.readerIndex() - Frames.HEADER;
    }

    private static Chunk seal(ByteBuf frame, int count) {
        PipeFrames.finishData(frame, count);
        return new Chunk(frame, payload(frame), count);
    }

    private static int hint(Object e, int remaining) {
        if (e instanceof byte[] b) {
            return b.length + 4;
        }
        if (e instanceof java.nio.ByteBuffer bb) {
            return bb.remaining() + 4;
        }
        return Math.min(remaining, 256) * 16;
    }

    /** Encode deferred pushes while there is room, then ask the upstream for more (executor). */
    private void refill() {
        this.producer.lock();
        try {
            while (true) {
                Deferred d;
                synchronized (this) {
                    if (this.state == FAILED || this.state == ABORTED || this.table == null) {
                        this.refillScheduled = false;
                        return;
                    }
                    if (this.queuedBytes >= this.bound || (d = this.deferred.poll()) == null) {
                        this.refillScheduled = false;
                        break;
                    }
                    if (d.end) {
                        Chunk c = new Chunk(null, 0, 0);
                        c.stages = d.stages;
                        c.abort = d.abort;
                        this.queue.add(c);
                        scheduleFlushLocked();
                        continue;
                    }
                }
                encodeAndQueue(d.elements, d.stages.isEmpty() ? null : d.stages);
            }
        }
        finally {
            this.producer.unlock();
        }
        requestMore();
    }

    // ---- Flow.Subscriber (the pipe fed by a publisher) ----

    void onSubscribe(Flow.Subscription subscription) {
        boolean attached;
        synchronized (this) {
            if (this.upstream != null || this.state != OPEN) {
                attached = false;
                subscription.cancel();
                return;
            }
            this.upstream = subscription;
            attached = this.table != null;
        }
        if (attached) {
            requestMore();
        }
    }

    void onNext(T item) {
        synchronized (this) {
            if (this.outstanding > 0) {
                this.outstanding--;
            }
            if (this.state != OPEN) {
                return; // the pipe ended: late elements are dropped
            }
        }
        push(List.of(item), null);
        requestMore();
    }

    void onError(Throwable t) {
        synchronized (this) {
            this.upstream = null;
            if (this.state != OPEN) {
                return;
            }
        }
        end(toRemote(t)); // the elements the publisher sent before failing still go first
    }

    void onComplete() {
        synchronized (this) {
            this.upstream = null;
            if (this.state != OPEN) {
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
            s = this.upstream;
            if (s == null || this.state != OPEN || this.table == null || this.outstanding > 0 || !this.deferred.isEmpty()) {
                return;
            }
            long room = this.bound - this.queuedBytes;
            if (room < this.bound / 2) {
                return;
            }
            long avg = (this.encodedElements > 0) ? Math.max(1, this.encodedBytes / this.encodedElements) : 0;
            n = (avg > 0) ? Math.max(1, Math.min(1024, room / avg)) : 8;
            this.outstanding = n;
        }
        s.request(n);
    }

    private boolean wantsDemandLocked() {
        return this.upstream != null && this.state == OPEN && this.outstanding == 0;
    }

    // ---- event loop side ----

    private void scheduleFlushLocked() {
        if (this.table != null && !this.flushScheduled) {
            this.flushScheduled = true;
            this.table.schedule(this);
        }
    }

    /** Write what credit and the channel allow (event loop). */
    @Override
    public void run() {
        List<CompletableFuture<Void>> done = null;
        boolean ended = false;
        boolean refill = false;
        synchronized (this) {
            this.flushScheduled = false;
            if (this.table == null || this.writing) {
                return;
            }
            this.writing = true;
            try {
                if (this.abortPending) {
                    this.abortPending = false;
                    RemoteCallException f = this.failure;
                    this.table.write(PipeFrames.abort(ALLOC, this.callId, this.identity.index(), f.status(), f.description()));
                    ended = true;
                }
                else if (this.state != FAILED && this.state != ABORTED) {
                    Chunk c;
                    while ((c = this.queue.peek()) != null) {
                        if (c.frame == null) {
                            this.queue.poll();
                            this.table.write((c.abort == null) ? PipeFrames.end(ALLOC, this.callId, this.identity.index())
                                    : PipeFrames.abort(ALLOC, this.callId, this.identity.index(), c.abort.status(), c.abort.description()));
                            this.state = ENDED;
                            done = add(done, c.stages);
                            ended = true;
                            break;
                        }
                        if (c.size > this.credit) {
                            if (this.stallStart == 0) {
                                this.stallStart = System.nanoTime();
                            }
                            break;
                        }
                        if (!this.table.isWritable()) {
                            this.table.awaitWritable(this);
                            break;
                        }
                        this.queue.poll();
                        this.credit -= c.size;
                        this.queuedBytes -= c.size;
                        this.bytesSent += c.size;
                        this.elementsSent += c.elements;
                        c.frame.setInt(c.frame.readerIndex() + Frames.CALL_ID_OFFSET, this.callId);
                        this.table.write(c.frame);
                        if (c.stages != null) {
                            done = add(done, c.stages);
                        }
                    }
                    if (this.stallStart != 0 && (c == null || c.frame == null || c.size <= this.credit)) {
                        this.stalledNanos += System.nanoTime() - this.stallStart;
                        this.stallStart = 0;
                    }
                    if (!this.refillScheduled && this.queuedBytes < this.bound / 2 && (!this.deferred.isEmpty() || wantsDemandLocked())) {
                        this.refillScheduled = true;
                        refill = true;
                    }
                }
            }
            finally {
                this.writing = false;
            }
        }
        if (done != null) {
            sendComplete(done);
        }
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

    /**
     * Complete the stages of written chunks on the executor (never user code on the loop). One task
     * at a time completes whatever has been written meanwhile, so send completions coalesce.
     */
    private void sendComplete(List<CompletableFuture<Void>> done) {
        synchronized (this) {
            if (this.written == null) {
                this.written = done;
            }
            else {
                this.written.addAll(done);
            }
            if (this.completing) {
                return;
            }
            this.completing = true;
        }
        execute(() -> {
            while (true) {
                List<CompletableFuture<Void>> batch;
                synchronized (this) {
                    batch = this.written;
                    this.written = null;
                    if (batch == null) {
                        this.completing = false;
                        return;
                    }
                }
                for (CompletableFuture<Void> f : batch) {
                    f.complete(null);
                }
            }
        });
    }

    private static List<CompletableFuture<Void>> add(List<CompletableFuture<Void>> list, List<CompletableFuture<Void>> stages) {
        List<CompletableFuture<Void>> l = (list != null) ? list : new ArrayList<>(4);
        l.addAll(stages);
        return l;
    }

    /** Credit granted by the receiver (event loop). */
    void onCredit(long bytes) {
        synchronized (this) {
            this.credit += bytes;
        }
        run();
    }

    // ---- ending ----

    /**
     * Fail the end (any thread): the call ended, was cancelled, or the connection was lost. Queued
     * frames are released; pending stages fail with {@code ex}. Does nothing once ended.
     */
    void fail(RemoteCallException ex) {
        List<CompletableFuture<Void>> dropped;
        Flow.Subscription up;
        synchronized (this) {
            if (this.state == ENDED || this.state == FAILED) {
                return;
            }
            if (this.state == ABORTED) {
                this.abortPending = false; // the call is over: the abort need not be sent
                return;
            }
            this.state = FAILED;
            this.failure = ex;
            dropped = dropQueuedLocked();
            if (this.closeStage != null && !dropped.contains(this.closeStage)) {
                dropped.add(this.closeStage);
            }
            up = this.upstream;
            this.upstream = null;
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
    }

    private List<CompletableFuture<Void>> dropQueuedLocked() {
        List<CompletableFuture<Void>> stages = new ArrayList<>();
        Chunk c;
        while ((c = this.queue.poll()) != null) {
            if (c.frame != null) {
                c.frame.release();
            }
            if (c.stages != null) {
                stages.addAll(c.stages);
            }
        }
        this.queuedBytes = 0;
        Deferred d;
        while ((d = this.deferred.poll()) != null) {
            stages.addAll(d.stages);
        }
        if (this.stallStart != 0) {
            this.stalledNanos += System.nanoTime() - this.stallStart;
            this.stallStart = 0;
        }
        return stages;
    }

    private void unregister() {
        PipeRegistry r = this.registry;
        if (r != null) {
            r.remove(this);
        }
    }

    /** Whether the implementer may complete: the pipe was closed (or aborted, or failed). */
    synchronized boolean isClosedByApplication() {
        return this.state != OPEN;
    }

    /** Whether nothing more will be written: the end or abort went out, or the pipe failed. */
    synchronized boolean isFinished() {
        return this.state == ENDED || this.state == FAILED || (this.state == ABORTED && !this.abortPending);
    }

    /** Whether the end (or an abort after the data) is queued but not yet written. */
    synchronized boolean isEnding() {
        return this.state == CLOSING || (this.state == ABORTED && this.abortPending);
    }

    synchronized boolean isClosed() {
        return this.state != OPEN;
    }

    synchronized String stateName() {
        return switch (this.state) {
            case OPEN -> "open";
            case CLOSING -> "closing";
            case ENDED -> "closed";
            case ABORTED -> "aborted";
            default -> "failed";
        };
    }

    private static RemoteCallException copy(RemoteCallException ex) {
        return new RemoteCallException(ex.status(), ex.description(), ex.details(), null);
    }

    private void execute(Runnable task) {
        Executor e = this.executor;
        PipeTable.execute(e, task);
    }

    @Override
    public PipeInfo info() {
        PipeIdentity id = this.identity;
        synchronized (this) {
            long stalled = this.stalledNanos + ((this.stallStart != 0) ? System.nanoTime() - this.stallStart : 0);
            return new PipeInfo(id.operation(), this.callId, id.index(), this.end.isIn() ? PipeInfo.Direction.IN : PipeInfo.Direction.OUT,
                    true, this.elementsSent, this.bytesSent, this.window, Math.max(0, this.window - this.credit),
                    this.queuedBytes, Duration.ofNanos(stalled));
        }
    }
}
