package dev.asyncrpc.internal.pipe;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import dev.asyncrpc.PipeInfo;
import dev.asyncrpc.RemoteCallException;
import dev.asyncrpc.Status;
import dev.asyncrpc.internal.codec.CodecException;
import dev.asyncrpc.internal.codec.ValueCodec;
import dev.asyncrpc.internal.protocol.ProtocolException;
import dev.asyncrpc.internal.protocol.PipeFrames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;

/**
 * The receiving side of one pipe end.
 *
 * <p>The event loop appends each PIPE_DATA payload (a retained slice of the read buffer, no copy)
 * after checking it against the credit this side granted; a frame beyond the credit is a protocol
 * error. The application decodes elements from the head payload when it pulls (outside the lock
 * the loop takes), and each fully consumed payload is released and counted; once half the window
 * has been consumed the credit is granted back in one CREDIT frame. So the memory a pipe holds is
 * bounded by its window, whatever the size of the transfer.
 *
 * <p>Waiters are woken without running user code on the loop: blocked iterators through the
 * monitor, {@code onAvailable} callbacks and Flow subscribers on their executor.
 *
 * <p>ByteBuf ownership: queued payloads are owned by this receiver and released once consumed, or
 * when the pipe fails or is abandoned.
 *
 * @param <T> the element type
 */
final class PipeReceiver<T> implements PipeTable.Task, PipeStats {

    private static final int NONE = 0;
    private static final int CLOSED = 1;
    private static final int FAILED = 2;

    /** One received PIPE_DATA payload, positioned at its next element. */
    private static final class Chunk {
        final ByteBuf payload;
        final int size;
        int remaining;
        /** For values: a heap copy of the elements, decoded from (consumer only). */
        ByteBuf heap;

        Chunk(ByteBuf payload, int count, int size) {
            this.payload = payload;
            this.remaining = count;
            this.size = size;
        }
    }

    private final PipeEnd<T> pipe;
    private final ReentrantLock consumer = new ReentrantLock();

    private volatile ValueCodec codec;
    private volatile boolean raw;
    private volatile Executor executor;
    private volatile PipeIdentity identity;
    private volatile PipeRegistry registry;
    private volatile Runnable onAbandon;

    // ---- guarded by this ----
    private PipeTable table;
    private int callId;
    private int window;
    private final ArrayDeque<Chunk> chunks = new ArrayDeque<>();
    private long bufferedBytes;
    private long allowance;
    private long consumedSinceGrant;
    private long pendingGrant;
    private boolean grantScheduled;
    private int end = NONE;
    private RemoteCallException failure;
    private boolean endObserved;
    private boolean consuming;
    private boolean abandoned;
    private int waiters;
    private Runnable available;
    private Executor availableExecutor;
    private Subscription subscription;
    private long elementsReceived;
    private long bytesReceived;

    PipeReceiver(PipeEnd<T> end) {
        this.pipe = end;
    }

    PipeIdentity identity() {
        return this.identity;
    }

    /**
     * Bind to one call.
     * @param onAbandon what cancelling a subscription does besides dropping data (the caller's out-pipe
     *        cancels the call), or {@code null}
     * @throws IllegalStateException if the end was bound before
     */
    void bind(PipeIdentity identity, ValueCodec codec, boolean raw, Executor executor, Runnable onAbandon, PipeRegistry registry) {
        synchronized (this) {
            if (this.identity != null) {
                throw new IllegalStateException("this " + this.pipe.kind() + " was already passed to a call (" + this.identity.operation()
                        + "): make a new pipe for each call");
            }
            this.identity = identity;
            this.codec = codec;
            this.raw = raw;
            this.executor = executor;
            this.onAbandon = onAbandon;
            this.registry = registry;
        }
    }

    /** Attach to the connection (loop): this side's window is the sender's initial credit. */
    void attach(PipeTable table, int callId, int window) {
        synchronized (this) {
            if (this.end == FAILED) {
                return;
            }
            this.table = table;
            this.callId = callId;
            this.window = window;
            this.allowance = window;
        }
        PipeRegistry r = this.registry;
        if (r != null) {
            r.add(this);
        }
    }

    // ---- event loop: arrivals ----

    /**
     * A PIPE_DATA payload positioned at its first element (loop). Takes ownership of {@code payload}.
     * @param size the bytes counted against credit (the whole payload)
     * @throws ProtocolException if the sender overran its credit or sent data after the end
     */
    void onData(ByteBuf payload, int count, int size) {
        Runnable wake;
        synchronized (this) {
            if (this.end == CLOSED) {
                payload.release();
                throw new ProtocolException("PIPE_DATA after PIPE_END on pipe " + this.identity.index() + " of call " + this.callId
                        + " (" + this.identity.operation() + ")");
            }
            if (size > this.allowance) {
                payload.release();
                throw new ProtocolException("pipe " + this.identity.index() + " of call " + this.callId + " (" + this.identity.operation()
                        + ") overran its credit: " + size + " bytes sent with " + this.allowance + " bytes of credit left (window "
                        + this.window + ")");
            }
            this.allowance -= size;
            this.bytesReceived += size;
            this.elementsReceived += count;
            if (this.end == FAILED || this.abandoned) {
                payload.release();
                return;
            }
            this.chunks.add(new Chunk(payload, count, size));
            this.bufferedBytes += size;
            wake = wakeLocked();
        }
        if (wake != null) {
            wake.run();
        }
    }

    /**
     * A PIPE_END (loop): closed, or aborted with {@code failure}.
     * @throws ProtocolException on a second end
     */
    void onEnd(RemoteCallException aborted) {
        Runnable wake;
        synchronized (this) {
            if (this.end == CLOSED) {
                throw new ProtocolException("second PIPE_END on pipe " + this.identity.index() + " of call " + this.callId);
            }
            if (this.end == FAILED) {
                return;
            }
            if (aborted != null) {
                failLocked(aborted);
            }
            else {
                this.end = CLOSED;
                if (this.chunks.isEmpty() && this.subscription == null && this.waiters == 0 && this.available == null) {
                    // nothing to wake; the end is observed by the next pull
                    return;
                }
            }
            wake = wakeLocked();
        }
        if (wake != null) {
            wake.run();
        }
        if (aborted != null) {
            unregister();
        }
    }

    /** Wake whoever waits for data; returns what must run outside the monitor (locked). */
    private Runnable wakeLocked() {
        if (this.waiters > 0) {
            notifyAll();
        }
        Runnable cb = this.available;
        Executor cbExecutor = this.availableExecutor;
        this.available = null;
        this.availableExecutor = null;
        Subscription sub = this.subscription;
        if (cb == null && sub == null) {
            return null;
        }
        return () -> {
            if (cb != null) {
                PipeTable.execute(cbExecutor != null ? cbExecutor : this.executor, cb);
            }
            if (sub != null) {
                sub.signal();
            }
        };
    }

    // ---- application: pulling ----

    List<T> pull(int max) {
        if (max <= 0) {
            throw new IllegalArgumentException("max: " + max + " (expected: > 0)");
        }
        this.consumer.lock();
        try {
            return pullLocked(max);
        }
        finally {
            this.consumer.unlock();
        }
    }

    private List<T> pullLocked(int max) {
        List<T> out = null;
        while (true) {
            int have = (out != null) ? out.size() : 0;
            if (have >= max) {
                break;
            }
            Chunk c;
            synchronized (this) {
                if (this.end == FAILED) {
                    if (have == 0) {
                        observeEndLocked();
                        throw copy(this.failure);
                    }
                    break;
                }
                c = this.chunks.peek();
                if (c == null) {
                    if (this.end == CLOSED) {
                        observeEndLocked();
                    }
                    break;
                }
                this.consuming = true;
            }
            RemoteCallException error = null;
            int n = Math.min(max - have, c.remaining);
            if (out == null) {
                out = new ArrayList<>(Math.min(max, Math.max(n, 16)));
            }
            try {
                ValueCodec vc = this.codec;
                ByteBuf src = c.payload;
                if (!this.raw) {
                    // values decode fastest from an array; copy the frame's elements once
                    if (c.heap == null) {
                        byte[] copy = new byte[c.payload.readableBytes()];
                        c.payload.getBytes(c.payload.readerIndex(), copy);
                        c.heap = Unpooled.wrappedBuffer(copy);
                    }
                    src = c.heap;
                }
                for (int k = 0; k < n; k++) {
                    int length = src.readInt();
                    ByteBuf element = src.readSlice(length);
                    @SuppressWarnings("unchecked")
                    T value = (T) vc.decode(element);
                    c.remaining--;
                    out.add(value);
                }
            }
            catch (CodecException | IndexOutOfBoundsException ex) {
                error = new RemoteCallException(Status.INVALID_ARGUMENT, "cannot decode an element of " + this.pipe.describe() + ": "
                        + ex.getMessage(), Map.of(), ex);
            }
            boolean grant = false;
            synchronized (this) {
                this.consuming = false;
                if (this.end == FAILED) {
                    // failed while we decoded: fail() left the head for us to release
                    if (this.chunks.peek() == c) {
                        this.chunks.poll();
                        c.payload.release();
                    }
                }
                else if (c.remaining == 0 || error != null) {
                    this.chunks.poll();
                    c.payload.release();
                    this.bufferedBytes -= c.size;
                    this.consumedSinceGrant += c.size;
                    grant = grantLocked();
                }
            }
            if (grant) {
                this.table.schedule(this);
            }
            if (error != null) {
                fail(error, true);
                throw error;
            }
        }
        return (out != null) ? out : List.of();
    }

    /** Decide to grant the consumed bytes back once half the window is consumed (locked). */
    private boolean grantLocked() {
        if (this.table == null || this.end != NONE || this.abandoned || this.consumedSinceGrant < this.window / 2) {
            return false;
        }
        long g = this.consumedSinceGrant;
        this.consumedSinceGrant = 0;
        this.allowance += g;
        this.pendingGrant += g;
        if (this.grantScheduled) {
            return false;
        }
        this.grantScheduled = true;
        return true;
    }

    /** Write the pending grant (event loop). */
    @Override
    public void run() {
        long g;
        synchronized (this) {
            g = this.pendingGrant;
            this.pendingGrant = 0;
            this.grantScheduled = false;
            if (this.table == null || this.end != NONE || g <= 0) {
                return;
            }
        }
        this.table.write(PipeFrames.credit(ByteBufAllocator.DEFAULT, this.callId, this.identity.index(), (int) g));
    }

    private void observeEndLocked() {
        if (!this.endObserved) {
            this.endObserved = true;
            if (this.end == CLOSED) {
                PipeRegistry r = this.registry;
                if (r != null) {
                    r.remove(this);
                }
            }
        }
    }

    synchronized boolean isClosed() {
        if (this.end == FAILED || (this.end == CLOSED && this.chunks.isEmpty())) {
            observeEndLocked();
            return true;
        }
        return false;
    }

    /** Whether the implementer may complete: the end was pulled, or the pipe failed (not abandoned). */
    synchronized boolean isDrained() {
        return (this.endObserved && !this.abandoned) || (this.end == FAILED && !this.abandoned);
    }

    /** Whether the sender's end has arrived (or the pipe failed). */
    synchronized boolean isFinished() {
        return this.end != NONE;
    }

    synchronized RemoteCallException failure() {
        return this.failure;
    }

    synchronized String stateName() {
        return switch (this.end) {
            case NONE -> this.abandoned ? "abandoned" : "open";
            case CLOSED -> this.chunks.isEmpty() ? "closed" : "closed, " + this.chunks.size() + " frames to pull";
            default -> "failed";
        };
    }

    void onAvailable(Runnable callback, Executor callbackExecutor) {
        boolean now;
        synchronized (this) {
            now = !this.chunks.isEmpty() || this.end != NONE;
            if (!now) {
                this.available = callback;
                this.availableExecutor = callbackExecutor;
            }
        }
        if (now) {
            Executor e = (callbackExecutor != null) ? callbackExecutor : this.executor;
            if (e == null) {
                callback.run();
            }
            else {
                PipeTable.execute(e, callback);
            }
        }
    }

    /** Wait until there is something to pull or the end (blocking; not on the event loop). */
    private void await() {
        synchronized (this) {
            if (this.table != null && this.table.inEventLoop()) {
                throw new IllegalStateException("the blocking iterator of " + this.pipe.describe()
                        + " cannot wait on an event loop: use pull with onAvailable, or subscribe");
            }
            while (this.chunks.isEmpty() && this.end == NONE) {
                this.waiters++;
                try {
                    wait();
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    throw new RemoteCallException(Status.CANCELLED, "interrupted while waiting for " + this.pipe.describe());
                }
                finally {
                    this.waiters--;
                }
            }
        }
    }

    Iterator<T> iterator() {
        return new Iterator<>() {
            private final ArrayDeque<T> batch = new ArrayDeque<>();

            @Override
            public boolean hasNext() {
                while (this.batch.isEmpty()) {
                    List<T> got = pull(256);
                    if (!got.isEmpty()) {
                        this.batch.addAll(got);
                        break;
                    }
                    if (isClosed()) {
                        return false;
                    }
                    await();
                }
                return true;
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("the pipe has ended");
                }
                return this.batch.poll();
            }
        };
    }

    // ---- ending ----

    /**
     * Fail the end (any thread): the call ended, was cancelled or the connection was lost. Buffered
     * payloads are released and the end leaves the registry. Does nothing once the pipe failed. On
     * the caller's end, does nothing once the pipe ended normally either: its remaining elements
     * stay pullable after the call's outcome. The implementer's end fails unless its end was pulled,
     * since an implementer cannot pull once its call is over.
     */
    void fail(RemoteCallException ex) {
        fail(ex, false);
    }

    /**
     * @param evenIfClosed whether to fail an end that ended normally but whose end was not pulled
     *        yet, on either side (an element could not be decoded: what follows it cannot be read)
     */
    private void fail(RemoteCallException ex, boolean evenIfClosed) {
        Runnable wake;
        synchronized (this) {
            if (this.end == FAILED || this.end == CLOSED && (this.endObserved || (!evenIfClosed && this.pipe.isCallersEnd()))) {
                return;
            }
            failLocked(ex);
            wake = wakeLocked();
        }
        unregister();
        if (wake != null) {
            wake.run();
        }
    }

    private void failLocked(RemoteCallException ex) {
        this.end = FAILED;
        this.failure = ex;
        releaseBufferedLocked();
    }

    /** Release buffered payloads except the head while a consumer decodes from it (locked). */
    private void releaseBufferedLocked() {
        Chunk head = this.consuming ? this.chunks.poll() : null;
        Chunk c;
        while ((c = this.chunks.poll()) != null) {
            c.payload.release();
        }
        if (head != null) {
            this.chunks.add(head);
        }
        this.bufferedBytes = 0;
    }

    /** The application stopped consuming (a subscriber cancelled): drop data, grant no more. */
    void abandon() {
        Runnable hook;
        synchronized (this) {
            if (this.abandoned) {
                return;
            }
            this.abandoned = true;
            releaseBufferedLocked();
            hook = this.onAbandon;
        }
        unregister();
        if (hook != null) {
            hook.run();
        }
    }

    private void unregister() {
        PipeRegistry r = this.registry;
        if (r != null) {
            r.remove(this);
        }
    }

    private static RemoteCallException copy(RemoteCallException ex) {
        return new RemoteCallException(ex.status(), ex.description(), ex.details(), null);
    }

    @Override
    public PipeInfo info() {
        PipeIdentity id = this.identity;
        synchronized (this) {
            return new PipeInfo(id.operation(), this.callId, id.index(), this.pipe.isIn() ? PipeInfo.Direction.IN : PipeInfo.Direction.OUT,
                    false, this.elementsReceived, this.bytesReceived, this.window, Math.max(0, this.window - this.allowance),
                    this.bufferedBytes, Duration.ZERO);
        }
    }

    // ---- Flow.Publisher ----

    void subscribe(Flow.Subscriber<? super T> subscriber) {
        Subscription s = new Subscription(subscriber);
        boolean ok;
        synchronized (this) {
            ok = this.subscription == null;
            if (ok) {
                this.subscription = s;
            }
        }
        if (!ok) {
            subscriber.onSubscribe(new Flow.Subscription() {
                @Override
                public void request(long n) {
                }

                @Override
                public void cancel() {
                }
            });
            subscriber.onError(new IllegalStateException(this.pipe.describe() + " already has a subscriber: a pipe is consumed once"));
            return;
        }
        subscriber.onSubscribe(s);
        s.signal();
    }

    /** Delivers elements to one subscriber within its demand, serialised by a work-in-progress count. */
    private final class Subscription implements Flow.Subscription, Runnable {

        private final Flow.Subscriber<? super T> subscriber;
        private final AtomicLong demand = new AtomicLong();
        private final AtomicInteger wip = new AtomicInteger();
        private volatile boolean cancelled;
        private boolean done;

        Subscription(Flow.Subscriber<? super T> subscriber) {
            this.subscriber = subscriber;
        }

        @Override
        public void request(long n) {
            if (n <= 0) {
                cancel();
                this.subscriber.onError(new IllegalArgumentException("request: " + n + " (expected: > 0, Reactive Streams rule 3.9)"));
                return;
            }
            long r;
            long u;
            do {
                r = this.demand.get();
                u = r + n;
                if (u < 0) {
                    u = Long.MAX_VALUE;
                }
            }
            while (!this.demand.compareAndSet(r, u));
            if (this.wip.getAndIncrement() == 0) {
                drain();
            }
        }

        @Override
        public void cancel() {
            if (!this.cancelled) {
                this.cancelled = true;
                abandon();
            }
        }

        /** Data or the end arrived (from the loop): drain on the executor. */
        void signal() {
            if (this.wip.getAndIncrement() == 0) {
                PipeTable.execute(PipeReceiver.this.executor, this);
            }
        }

        @Override
        public void run() {
            drain();
        }

        private void drain() {
            int missed = 1;
            while (true) {
                if (this.cancelled || this.done) {
                    return;
                }
                long r = this.demand.get();
                long e = 0;
                while (e != r && !this.cancelled) {
                    List<T> items;
                    try {
                        items = pull((int) Math.min(r - e, 256));
                    }
                    catch (RemoteCallException ex) {
                        this.done = true;
                        this.subscriber.onError(ex);
                        return;
                    }
                    if (items.isEmpty()) {
                        break;
                    }
                    for (T item : items) {
                        if (this.cancelled) {
                            return;
                        }
                        this.subscriber.onNext(item);
                    }
                    e += items.size();
                }
                if (e != 0 && r != Long.MAX_VALUE) {
                    this.demand.addAndGet(-e);
                }
                if (!this.cancelled && isClosed()) {
                    this.done = true;
                    RemoteCallException f = failure();
                    if (f != null) {
                        this.subscriber.onError(copy(f));
                    }
                    else {
                        this.subscriber.onComplete();
                    }
                    return;
                }
                missed = this.wip.addAndGet(-missed);
                if (missed == 0) {
                    return;
                }
            }
        }
    }
}
