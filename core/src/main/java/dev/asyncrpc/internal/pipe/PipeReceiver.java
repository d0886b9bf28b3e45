package dev.asyncrpc.internal.pipe;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.locks.ReentrantLock;

import dev.asyncrpc.PipeInfo;
import dev.asyncrpc.RemoteCallException;
import dev.asyncrpc.Status;
import dev.asyncrpc.internal.PeerWait;
import dev.asyncrpc.internal.codec.CodecException;
import dev.asyncrpc.internal.codec.ValueCodec;
import dev.asyncrpc.internal.protocol.PipeFrames;
import dev.asyncrpc.internal.protocol.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The receiving side of one pipe end: ties together the held payloads ({@link InboundChunks}),
 * the window ({@link InboundFlowController}), element decoding ({@link ChunkDecoder}), the
 * waiters ({@link InboundWaiters}), the blocking iterator ({@link PipeIterator}) and the Reactive
 * Streams bridge ({@link PipeSubscription}).
 *
 * <p>The event loop appends each PIPE_DATA payload (a retained slice of the read buffer, no copy)
 * after checking it against the window; a frame beyond it is a protocol error. The application
 * decodes elements from the head payload when it pulls (outside the lock the loop takes); each
 * fully consumed payload is released, and once half the window has been consumed the credit is
 * granted back in one CREDIT frame. So the memory a pipe holds is bounded by its window. On the
 * server the held payloads are charged to its memory budget, and while that budget is exhausted
 * an end with unread data holds its credit back ({@link #run()}).
 *
 * <p><b>Ordered end.</b> An end or a failure (the sender's abort, the call's failure, a lost
 * connection) reaches the reader only after every element that arrived before it: the state moves
 * to {@link InboundState#CLOSED} or {@link InboundState#FAILED} and the buffered payloads stay
 * until pulled. If the call ends while elements are still unread, an {@link UnreadPipe} watches
 * them: they are released when the pipe end is dropped (garbage collected) or when the runtime
 * closes. Only a cancelled subscriber, an element that cannot be decoded, or such a release
 * discards data ({@link InboundState#DISCARDED}).
 *
 * <p>Waiters are woken without running user code on the loop: blocked iterators through the
 * monitor, {@code onAvailable} callbacks and subscribers on their executor.
 *
 * <p>ByteBuf ownership: payloads passed to {@link #onData} are owned by this receiver (its
 * {@link InboundChunks}) until consumed or released.
 *
 * @param <T> the element type
 */
final class PipeReceiver<T> implements PipeTable.Task, PipeStats {

    private final PipeEnd<T> pipe;
    private final ReentrantLock consumer = new ReentrantLock();
    /** The held payloads; its monitor guards the fields below and is what iterators wait on. */
    private final InboundChunks chunks = new InboundChunks();
    /** Blocked iterators, the {@code onAvailable} callback and the subscriber (guarded by chunks). */
    private final InboundWaiters waiters = new InboundWaiters(this.chunks);

    private volatile ValueCodec codec;
    private volatile boolean raw;
    private volatile Executor executor;
    private volatile PipeIdentity identity;
    private volatile PipeRegistry registry;
    private volatile Runnable onAbandon;

    // ---- guarded by chunks ----
    private PipeTable table;
    private int callId;
    private InboundFlowController flow;
    private long pendingGrant;
    private boolean grantScheduled;
    private InboundState state = InboundState.OPEN;
    private RemoteCallException failure;
    private boolean endReceived;
    private boolean endObserved;
    private boolean abandoned;
    /** Whether this end is in the registry itself. */
    private boolean registered;
    /** What stands for this end in the registry once its call ended with elements unread, or {@code null}. */
    private UnreadPipe unread;
    private long elementsReceived;
    private long bytesReceived;

    PipeReceiver(PipeEnd<T> end) {
        this.pipe = end;
    }

    PipeIdentity identity() {
        return this.identity;
    }

    /** Where callbacks and subscriber signals run ({@code null} before the end is bound: the signalling thread). */
    Executor executor() {
        return this.executor;
    }

    /**
     * Bind to one call.
     * @param onAbandon what cancelling a subscription does besides dropping data (the caller's out-pipe
     *        cancels the call), or {@code null}
     * @throws IllegalStateException if the end was bound before
     */
    void bind(PipeIdentity identity, ValueCodec codec, boolean raw, Executor executor, Runnable onAbandon, PipeRegistry registry) {
        synchronized (this.chunks) {
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
        synchronized (this.chunks) {
            if (this.state != InboundState.OPEN) {
                return;
            }
            this.table = table;
            this.callId = callId;
            this.flow = new InboundFlowController(window);
            this.chunks.budget(table.memory());
            PipeRegistry r = this.registry;
            if (r != null) {
                this.registered = true;
                r.add(this);
            }
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
        synchronized (this.chunks) {
            if (this.endReceived) {
                payload.release();
                throw new ProtocolException("PIPE_DATA after PIPE_END on pipe " + this.identity.index() + " of call " + this.callId
                        + " (" + this.identity.operation() + ")");
            }
            if (!this.flow.receive(size)) {
                payload.release();
                throw new ProtocolException("pipe " + this.identity.index() + " of call " + this.callId + " (" + this.identity.operation()
                        + ") overran its credit: " + size + " bytes sent with " + this.flow.allowance() + " bytes of credit left (window "
                        + this.flow.window() + ")");
            }
            this.bytesReceived += size;
            this.elementsReceived += count;
            if (this.state != InboundState.OPEN) {
                payload.release(); // after a failure nothing more is delivered
                return;
            }
            this.chunks.add(payload, count, size);
            wake = wakeLocked();
        }
        if (wake != null) {
            this.table.wakeAfterRead(wake); // callbacks and subscribers: once the read batch is in
        }
    }

    /**
     * A PIPE_END (loop): closed, or aborted with {@code aborted}; either reaches the reader after
     * the elements already buffered.
     * @throws ProtocolException on a second end
     */
    void onEnd(RemoteCallException aborted) {
        Runnable wake;
        synchronized (this.chunks) {
            if (this.endReceived) {
                throw new ProtocolException("second PIPE_END on pipe " + this.identity.index() + " of call " + this.callId);
            }
            this.endReceived = true;
            if (this.flow != null) {
                this.flow.stop();
            }
            if (this.state != InboundState.OPEN) {
                return;
            }
            if (aborted != null) {
                this.state = InboundState.FAILED;
                this.failure = aborted;
            }
            else {
                this.state = InboundState.CLOSED;
            }
            wake = wakeLocked();
        }
        if (wake != null) {
            wake.run();
        }
    }

    /** Wake whoever waits for data; returns what must run outside the monitor (locked). */
    private Runnable wakeLocked() {
        return this.waiters.wake(this.executor);
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
            InboundChunks.Chunk c;
            synchronized (this.chunks) {
                noticeReleaseLocked();
                c = this.chunks.take();
                if (c == null) {
                    if (this.state == InboundState.CLOSED) {
                        observeEndLocked();
                    }
                    else if (this.state != InboundState.OPEN && have == 0) {
                        observeEndLocked();
                        throw copy(this.failure);
                    }
                    break;
                }
            }
            RemoteCallException error = null;
            int n = Math.min(max - have, c.remaining);
            if (out == null) {
                out = new ArrayList<>(Math.min(max, Math.max(n, 16)));
            }
            try {
                ChunkDecoder.decode(c, n, this.codec, this.raw, out);
            }
            catch (CodecException | IndexOutOfBoundsException ex) {
                error = new RemoteCallException(Status.INVALID_ARGUMENT, "cannot decode an element of " + this.pipe.describe() + ": "
                        + ex.getMessage(), Map.of(), ex);
            }
            boolean grant = false;
            synchronized (this.chunks) {
                int consumed = this.chunks.done(c, error != null);
                if (consumed > 0 && error == null) {
                    grant = grantLocked(this.flow.consumed(consumed));
                }
                if (this.unread != null && this.chunks.isEmpty()) {
                    unregisterLocked(); // everything left after the call has been pulled
                }
            }
            if (grant) {
                this.table.schedule(this);
            }
            if (error != null) {
                discard(error);
                throw error;
            }
        }
        return (out != null) ? out : List.of();
    }

    /** Add {@code bytes} to the pending grant; whether a write must be scheduled (locked). */
    private boolean grantLocked(long bytes) {
        if (bytes <= 0 || this.table == null) {
            return false;
        }
        this.pendingGrant += bytes;
        if (this.grantScheduled) {
            return false;
        }
        this.grantScheduled = true;
        return true;
    }

    /**
     * Write the pending grant (event loop). While the server's memory budget is exhausted, an end
     * that still holds unread data keeps its credit and checks again later: its reader has data to
     * pull meanwhile, and the sender sends no more until memory frees. An end with nothing buffered
     * gets its credit at once, so that a reader waiting for this pipe is never held up by the data
     * of others.
     */
    @Override
    public void run() {
        long g;
        synchronized (this.chunks) {
            if (this.state == InboundState.OPEN && this.table != null && !this.chunks.isEmpty() && this.table.holdCredit()) {
                this.table.retryLater(this); // grantScheduled stays set: no other write is scheduled meanwhile
                return;
            }
            g = this.pendingGrant;
            this.pendingGrant = 0;
            this.grantScheduled = false;
            if (this.table == null || this.state != InboundState.OPEN || g <= 0) {
                return;
            }
        }
        this.table.write(PipeFrames.credit(ByteBufAllocator.DEFAULT, this.callId, this.identity.index(), (int) g));
    }

    /** The buffers were released from outside (dropped or runtime closed): the state follows (locked). */
    private void noticeReleaseLocked() {
        RemoteCallException why = this.chunks.released();
        if (why != null && this.state != InboundState.DISCARDED) {
            this.state = InboundState.DISCARDED;
            this.failure = why;
        }
    }

    private void observeEndLocked() {
        if (!this.endObserved) {
            this.endObserved = true;
            unregisterLocked();
        }
    }

    /** Leave the registry, as this end or as its unread data (locked; idempotent). */
    private void unregisterLocked() {
        if (this.registered) {
            this.registered = false;
            this.registry.remove(this);
        }
        UnreadPipe u = this.unread;
        if (u != null) {
            this.unread = null;
            u.finished();
        }
    }

    boolean isClosed() {
        synchronized (this.chunks) {
            noticeReleaseLocked();
            if (this.state == InboundState.DISCARDED || (this.state != InboundState.OPEN && this.chunks.isEmpty())) {
                observeEndLocked();
                return true;
            }
            return false;
        }
    }

    /** What a subscriber ends with once {@link #isClosed()}: {@code null} for a normal end, else the failure. */
    RemoteCallException endFailure() {
        synchronized (this.chunks) {
            return (this.state == InboundState.CLOSED) ? null : copy(this.failure);
        }
    }

    /** Whether the implementer may complete: the end was pulled, or the pipe failed (not abandoned). */
    boolean isDrained() {
        synchronized (this.chunks) {
            return !this.abandoned && (this.endObserved || this.state == InboundState.FAILED || this.state == InboundState.DISCARDED);
        }
    }

    String stateName() {
        synchronized (this.chunks) {
            if (this.abandoned) {
                return "abandoned";
            }
            int frames = this.chunks.frames();
            return (this.state == InboundState.OPEN || frames == 0) ? this.state.label()
                    : this.state.label() + ", " + frames + " frames to pull";
        }
    }

    /**
     * Run {@code callback} on its executor once elements or the end are there; if they already are,
     * it is handed to the executor now (never run on the calling thread).
     */
    void onAvailable(Runnable callback, Executor callbackExecutor) {
        boolean now;
        synchronized (this.chunks) {
            now = !this.chunks.isEmpty() || this.state != InboundState.OPEN;
            if (!now) {
                this.waiters.callback(callback, callbackExecutor);
            }
        }
        if (now) {
            PipeTable.execute((callbackExecutor != null) ? callbackExecutor : this.executor, callback);
        }
    }

    /** How long a blocked reader waits for data before it tells its pool that it is parked. */
    static final long PARK_AFTER_MILLIS = 2;

    /**
     * Wait until there is something to pull or the end (blocking; not on the event loop). A thread
     * of the server's worker pool that has waited {@link #PARK_AFTER_MILLIS} in vain tells the pool
     * it is parked ({@link PeerWait}), so that other calls get a worker meanwhile; the pool may
     * refuse the wait instead ({@link Status#RESOURCE_EXHAUSTED}, thrown from here). The short
     * waits between the frames of a flowing pipe never reach the pool.
     */
    private void await() {
        synchronized (this.chunks) {
            if (this.table != null && this.table.inEventLoop()) {
                throw new IllegalStateException("the blocking iterator of " + this.pipe.describe()
                        + " cannot wait on an event loop: use pull with onAvailable, or subscribe");
            }
        }
        String what = this.pipe.describe();
        if (this.waiters.await(() -> this.chunks.isEmpty() && this.state == InboundState.OPEN, what, PARK_AFTER_MILLIS)) {
            return;
        }
        boolean parked = PeerWait.begin(); // outside the monitor: the pool may start a thread
        try {
            this.waiters.await(() -> this.chunks.isEmpty() && this.state == InboundState.OPEN, what);
        }
        finally {
            if (parked) {
                PeerWait.end();
            }
        }
    }

    Iterator<T> iterator() {
        return new PipeIterator<>(new PipeIterator.Source<>() {
            @Override
            public List<T> pull(int max) {
                return PipeReceiver.this.pull(max);
            }

            @Override
            public boolean isClosed() {
                return PipeReceiver.this.isClosed();
            }

            @Override
            public void awaitData() {
                await();
            }
        });
    }

    // ---- ending ----

    /**
     * Fail the end after its buffered elements (any thread): the call ended or was cancelled, or
     * the connection was lost. The reader pulls what arrived before, then gets {@code ex}. Does
     * nothing once the pipe has ended or failed.
     */
    void fail(RemoteCallException ex) {
        Runnable wake;
        synchronized (this.chunks) {
            if (this.state != InboundState.OPEN) {
                return;
            }
            this.state = InboundState.FAILED;
            this.failure = ex;
            if (this.flow != null) {
                this.flow.stop();
            }
            wake = wakeLocked();
        }
        if (wake != null) {
            wake.run();
        }
    }

    /**
     * The call ended (any thread; after {@link #fail}) with {@code outcome} ({@code null} for
     * success): the end leaves the registry. On the caller's end, unread elements stay pullable
     * after the call's outcome: an {@link UnreadPipe} takes the end's place until they are pulled,
     * the end is dropped or the runtime closes. On the implementer's end they are released now,
     * since an implementer has no reason to pull once its call is over.
     */
    void callEnded(RemoteCallException outcome) {
        synchronized (this.chunks) {
            if (!this.registered) {
                return;
            }
            if (this.chunks.isEmpty()) {
                unregisterLocked();
                return;
            }
            if (!this.pipe.isCallersEnd()) {
                RemoteCallException why = (outcome != null) ? outcome
                        : new RemoteCallException(Status.PIPE_ERROR, "the call of " + this.pipe.describe() + " is over");
                this.chunks.release(why);
                noticeReleaseLocked();
                unregisterLocked();
                return;
            }
            this.registered = false;
            this.unread = UnreadPipe.watch(this.pipe, this.chunks, infoLocked(), this.registry, this);
        }
    }

    /** Release the buffered elements now and fail with {@code ex} (an element could not be decoded). */
    private void discard(RemoteCallException ex) {
        Runnable wake;
        synchronized (this.chunks) {
            this.chunks.release(ex);
            this.state = InboundState.DISCARDED;
            this.failure = ex;
            if (this.flow != null) {
                this.flow.stop();
            }
            unregisterLocked();
            wake = wakeLocked();
        }
        if (wake != null) {
            wake.run();
        }
    }

    /** The application stopped consuming (a subscriber cancelled): drop data, grant no more. */
    void abandon() {
        Runnable hook;
        synchronized (this.chunks) {
            if (this.abandoned) {
                return;
            }
            this.abandoned = true;
            RemoteCallException why = new RemoteCallException(Status.CANCELLED, "the subscriber of " + this.pipe.describe() + " cancelled");
            this.chunks.release(why);
            if (this.state != InboundState.DISCARDED) {
                this.state = InboundState.DISCARDED;
                this.failure = why;
            }
            if (this.flow != null) {
                this.flow.stop();
            }
            unregisterLocked();
            hook = this.onAbandon;
        }
        if (hook != null) {
            hook.run();
        }
    }

    private static RemoteCallException copy(RemoteCallException ex) {
        return new RemoteCallException(ex.status(), ex.description(), ex.details(), null);
    }

    @Override
    public PipeInfo info() {
        synchronized (this.chunks) {
            return infoLocked();
        }
    }

    private PipeInfo infoLocked() {
        PipeIdentity id = this.identity;
        InboundChunks c = this.chunks;
        int window = (this.flow != null) ? this.flow.window() : 0;
        long unacknowledged = (this.flow != null) ? this.flow.unacknowledged() : 0;
        return new PipeInfo(id.operation(), this.callId, id.index(), this.pipe.isIn() ? PipeInfo.Direction.IN : PipeInfo.Direction.OUT,
                false, this.elementsReceived, this.bytesReceived, window, unacknowledged, c.bytes(), Duration.ZERO);
    }

    // ---- Flow.Publisher ----

    void subscribe(Flow.Subscriber<? super T> subscriber) {
        PipeSubscription<T> s = new PipeSubscription<>(this, subscriber);
        boolean ok;
        synchronized (this.chunks) {
            ok = this.waiters.subscriber(s::signal);
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
}
