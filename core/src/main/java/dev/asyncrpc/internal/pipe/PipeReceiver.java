package dev.asyncrpc.internal.pipe;

import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;

import dev.asyncrpc.PipeInfo;
import dev.asyncrpc.RemoteCallException;
import dev.asyncrpc.Status;
import dev.asyncrpc.internal.codec.ValueCodec;
import dev.asyncrpc.internal.protocol.ProtocolException;
import io.netty.buffer.ByteBuf;

/**
 * The receiving side of one pipe end: ties together the held payloads ({@link InboundChunks}),
 * the state ({@link InboundLifecycle}), the arrival checks and counts ({@link InboundArrivals}), the
 * window and the credit owed ({@link CreditGrants}), the pull side ({@link ChunkPuller}), the waiters ({@link InboundWaiters}), the registry entry
 * ({@link InboundRegistration}), the blocking iterator ({@link PipeIterator}) and the Reactive
 * Streams bridge ({@link PipeSubscription}).
 *
 * <p>The event loop appends each PIPE_DATA payload (a retained slice of the read buffer, no copy)
 * after checking it against the window; a frame beyond it is a protocol error. The application
 * decodes elements from the head payload when it pulls (outside the lock the loop takes); each
 * fully consumed payload is released, and once half the window has been consumed the credit is
 * granted back in one CREDIT frame. So the memory a pipe holds is bounded by its window. On the
 * server the held payloads are charged to its memory budget, and while that budget is exhausted
 * an end with unread data holds its credit back ({@link CreditWriter}).
 *
 * <p><b>Ordered end</b> ({@link InboundLifecycle}): an end or a failure reaches the reader only
 * after every element that arrived before it. If the call ends while elements are still unread,
 * an {@link UnreadPipe} watches them until the pipe end is dropped or the runtime closes.
 *
 * <p>Blocked iterators are woken through the monitor as data arrives; subscribers (on their
 * executor) and {@code onAvailable} callbacks (on theirs) once the read batch is in, or at once when
 * half the window is buffered, so that the credit they return need not wait for a batch that may
 * hold a whole window ({@link InboundWaiters#hold}); on an implementer's end,
 * a callback registered without an executor runs at once on the event loop while the operation's
 * callbacks have proven fast (see {@link #bind}).
 *
 * <p>ByteBuf ownership: payloads passed to {@link #onData} are owned by this receiver (its
 * {@link InboundChunks}) until consumed or released.
 *
 * @param <T> the element type
 */
final class PipeReceiver<T> implements PipeStats, ChunkPuller.Side, PipeIterator.Source<T> {

    private final PipeEnd<T> pipe;
    /** The held payloads; its monitor guards the fields below and is what iterators wait on. */
    private final InboundChunks chunks = new InboundChunks();
    /** Blocked iterators, the {@code onAvailable} callback and the subscriber (guarded by chunks). */
    private final InboundWaiters waiters = new InboundWaiters(this.chunks);
    private final ChunkPuller<T> puller = new ChunkPuller<>(this.chunks, this);

    private volatile ValueCodec codec;
    private volatile boolean raw;
    private volatile Executor executor;
    /** Where {@code onAvailable} callbacks registered without an executor run (may be the event loop). */
    private volatile Executor availability;
    private volatile PipeIdentity identity;
    private volatile PipeRegistry registry;
    private volatile Runnable onAbandon;

    // ---- guarded by chunks ----
    private PipeTable table;
    /** The window, the credit owed and its writer, once attached. */
    private CreditWriter credit;
    private final InboundLifecycle life = new InboundLifecycle();
    private final InboundArrivals arrivals = new InboundArrivals(this.life);
    private final InboundRegistration registration = new InboundRegistration();
    /** Bytes consumed by pulls (written under the monitor by the consumer; read by it for timing). */
    private long bytesPulled;
    private final Runnable heldWake = this::wakeAfterBatch;

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
     * @param executor where callbacks and subscriber signals run
     * @param availability where {@code onAvailable} callbacks registered without an executor run when
     *        data arrives: {@code executor}, or on an implementer's end one that may run them at once
     *        on the event loop (the operation's callbacks have proven fast)
     * @param onAbandon what cancelling a subscription does besides dropping data (the caller's out-pipe
     *        cancels the call), or {@code null}
     * @throws IllegalStateException if the end was bound before
     */
    void bind(PipeIdentity identity, ValueCodec codec, boolean raw, Executor executor, Executor availability, Runnable onAbandon,
            PipeRegistry registry) {
        synchronized (this.chunks) {
            if (this.identity != null) {
                throw new IllegalStateException("this " + this.pipe.kind() + " was already passed to a call (" + this.identity.operation()
                        + "): make a new pipe for each call");
            }
            this.identity = identity;
            this.codec = codec;
            this.raw = raw;
            this.executor = executor;
            this.availability = availability;
            this.onAbandon = onAbandon;
            this.registry = registry;
        }
    }

    /** Attach to the connection (loop): this side's window is the sender's initial credit. */
    void attach(PipeTable table, int callId, int window) {
        synchronized (this.chunks) {
            if (!this.life.isOpen()) {
                return;
            }
            this.table = table;
            InboundFlowController flow = new InboundFlowController(window);
            this.arrivals.attach(this.identity, callId, flow);
            this.credit = new CreditWriter(this.chunks, this.life, new CreditGrants(flow), table, callId, this.identity.index());
            this.chunks.budget(table.memory());
            this.registration.register(this.registry, this);
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
        boolean hold;
        synchronized (this.chunks) {
            if (!this.arrivals.data(payload, count, size)) {
                return;
            }
            this.chunks.add(payload, count, size);
            // callbacks and subscribers are woken once the read batch is in, unless a grant's worth is
            // buffered: then now, so that the credit goes back while the rest of the batch is read
            boolean now = this.chunks.bytes() >= this.arrivals.grantThreshold();
            wake = now ? this.waiters.wake(this.availability) : null;
            hold = !now && this.waiters.hold();
        }
        if (hold) {
            this.table.wakeAfterRead(this.heldWake);
        }
        runOutside(wake);
    }

    /** The end of the read batch in which data arrived (loop): wake the consumer if data is still there. */
    private void wakeAfterBatch() {
        Runnable wake;
        synchronized (this.chunks) {
            wake = this.waiters.wakeHeld(!this.chunks.isEmpty(), this.availability);
        }
        runOutside(wake);
    }

    /**
     * A PIPE_END (loop): closed, or aborted with {@code aborted}; either reaches the reader after
     * the elements already buffered.
     * @throws ProtocolException on a second end
     */
    void onEnd(RemoteCallException aborted) {
        Runnable wake;
        synchronized (this.chunks) {
            this.arrivals.end();
            this.arrivals.stopGrants();
            if (!this.life.endArrived(aborted)) {
                return;
            }
            wake = this.waiters.wake(this.availability); // run outside the monitor
        }
        runOutside(wake);
    }

    private static void runOutside(Runnable wake) {
        if (wake != null) {
            wake.run();
        }
    }

    // ---- application: pulling ----

    @Override
    public List<T> pull(int max) {
        return this.puller.pull(max, this.codec, this.raw, this::noticeReleaseLocked);
    }

    // ---- ChunkPuller.Side (the monitor held where it says so) ----

    @Override
    public void drained(int have) {
        if (this.life.state() == InboundState.CLOSED) {
            observeEndLocked();
        }
        else if (!this.life.isOpen() && have == 0) {
            observeEndLocked();
            throw this.life.failure();
        }
    }

    @Override
    public boolean consumed(int bytes) {
        this.bytesPulled += bytes;
        boolean grant = bytes > 0 && this.table != null && this.credit.consumed(bytes);
        if (this.registration.hasUnread() && this.chunks.isEmpty()) {
            unregisterLocked(); // everything left after the call has been pulled
        }
        return grant;
    }

    @Override
    public void grant() {
        this.credit.schedule();
    }

    @Override
    public void undecodable(RemoteCallException ex) {
        discard(ex);
    }

    @Override
    public String describe() {
        return this.pipe.describe();
    }

    /** The buffers were released from outside (dropped or runtime closed): the state follows (locked). */
    private void noticeReleaseLocked() {
        this.life.discarded(this.chunks.released());
    }

    private void observeEndLocked() {
        if (this.life.observeEnd()) {
            unregisterLocked();
        }
    }

    /** Leave the registry, as this end or as its unread data (locked; idempotent). */
    private void unregisterLocked() {
        this.registration.unregister(this);
    }

    @Override
    public boolean isClosed() {
        synchronized (this.chunks) {
            noticeReleaseLocked();
            if (this.life.isClosed(this.chunks.isEmpty())) {
                observeEndLocked();
                return true;
            }
            return false;
        }
    }

    /** What a subscriber ends with once {@link #isClosed()}: {@code null} for a normal end, else the failure. */
    RemoteCallException endFailure() {
        synchronized (this.chunks) {
            return this.life.endFailure();
        }
    }

    /** Whether the implementer may complete: the end was pulled, or the pipe failed (not abandoned). */
    boolean isDrained() {
        synchronized (this.chunks) {
            return this.life.isDrained();
        }
    }

    String stateName() {
        synchronized (this.chunks) {
            return this.life.label(this.chunks.frames());
        }
    }

    /**
     * Run {@code callback} once elements or the end are there: on {@code callbackExecutor}, or
     * without one on the end's {@code availability} executor, which on an implementer's end may run
     * it at once on the event loop that received the data (see {@link #bind}). If they already are
     * there, it is handed to its executor (or the end's executor) now: it never runs on the calling
     * thread.
     */
    void onAvailable(Runnable callback, Executor callbackExecutor) {
        boolean now;
        synchronized (this.chunks) {
            now = !this.life.waits(this.chunks.isEmpty());
            if (!now) {
                this.waiters.callback(callback, callbackExecutor);
            }
        }
        if (now) {
            PipeTable.execute((callbackExecutor != null) ? callbackExecutor : this.executor, callback);
        }
    }

    /** Wait until there is something to pull or the end (blocking; never on the event loop; see {@link InboundWaiters#awaitParking}). */
    @Override
    public void awaitData() {
        synchronized (this.chunks) {
            if (this.table != null && this.table.inEventLoop()) {
                throw new IllegalStateException("the blocking iterator of " + this.pipe.describe()
                        + " cannot wait on an event loop: use pull with onAvailable, or subscribe");
            }
        }
        this.waiters.awaitParking(() -> this.life.waits(this.chunks.isEmpty()), this.pipe.describe());
    }

    /** Bytes consumed by pulls so far: exact on the thread that pulled. */
    long bytesPulled() {
        return this.bytesPulled;
    }

    Iterator<T> iterator() {
        return new PipeIterator<>(this);
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
            if (!this.life.fail(ex)) {
                return;
            }
            this.arrivals.stopGrants();
            wake = this.waiters.wake(this.availability); // run outside the monitor
        }
        runOutside(wake);
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
            if (!this.registration.isRegistered()) {
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
            this.registration.unread(UnreadPipe.watch(this.pipe, this.chunks, infoLocked(), this.registry, this));
        }
    }

    /** Release the buffered elements now and fail with {@code ex} (an element could not be decoded). */
    void discard(RemoteCallException ex) {
        Runnable wake;
        synchronized (this.chunks) {
            this.chunks.release(ex);
            this.life.undecodable(ex);
            this.arrivals.stopGrants();
            unregisterLocked();
            wake = this.waiters.wake(this.availability); // run outside the monitor
        }
        runOutside(wake);
    }

    /** The application stopped consuming (a subscriber cancelled): drop data, grant no more. */
    void abandon() {
        Runnable hook;
        synchronized (this.chunks) {
            RemoteCallException why = new RemoteCallException(Status.CANCELLED, "the subscriber of " + this.pipe.describe() + " cancelled");
            if (!this.life.abandon(why)) {
                return;
            }
            this.chunks.release(why);
            this.arrivals.stopGrants();
            unregisterLocked();
            hook = this.onAbandon;
        }
        if (hook != null) {
            hook.run();
        }
    }

    @Override
    public PipeInfo info() {
        synchronized (this.chunks) {
            return infoLocked();
        }
    }

    private PipeInfo infoLocked() {
        return this.arrivals.info(this.identity, this.pipe.isIn() ? PipeInfo.Direction.IN : PipeInfo.Direction.OUT, this.chunks.bytes());
    }

    void subscribe(Flow.Subscriber<? super T> subscriber) {
        PipeSubscription.subscribe(this, this.waiters, subscriber);
    }
}
