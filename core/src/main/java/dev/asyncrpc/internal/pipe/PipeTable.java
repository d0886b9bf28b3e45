package dev.asyncrpc.internal.pipe;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import dev.asyncrpc.RemoteCallException;
import dev.asyncrpc.Status;
import dev.asyncrpc.internal.IntMap;
import dev.asyncrpc.internal.MemoryBudget;
import dev.asyncrpc.internal.protocol.Frame;
import dev.asyncrpc.internal.protocol.FrameType;
import dev.asyncrpc.internal.protocol.PipeFrames;
import dev.asyncrpc.internal.protocol.ProtocolException;
import dev.asyncrpc.internal.protocol.Settings;
import dev.asyncrpc.internal.transport.WriteQueue;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.WriteBufferWaterMark;

/**
 * The pipes of one connection, owned by its event loop: routes PIPE_DATA, PIPE_END and CREDIT frames
 * to the ends of calls in progress, writes pipe frames, resumes senders when the channel becomes
 * writable again, and fails every pipe once when the connection closes.
 *
 * <p>Work from other threads (a sender with frames to write, a receiver with credit to grant)
 * reaches the loop as a {@link Task} through the connection's {@link WriteQueue}, so pipe frames
 * are flushed in the same batches as calls and replies.
 */
public final class PipeTable {

    /** Pipe work run on the event loop; queued through the connection's {@link WriteQueue}. */
    public interface Task {

        /** Do the work (event loop). */
        void run();
    }

    /** How often a receiver whose credit waits for memory checks the budget again. */
    static final long CREDIT_RETRY_MILLIS = 20;

    /** Outbound bytes a connection queues before pipe senders wait for writability. */
    static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(512 * 1024, 1024 * 1024);

    private final Executor executor;
    private final PipeRegistry registry;
    private final Settings local;
    private final WriteQueue writes;
    private final IntMap<CallPipes> calls = new IntMap<>();
    private final ArrayDeque<PipeSender<?>> blocked = new ArrayDeque<>();
    /** Receivers' wake-ups held until the end of the current read batch (event loop only). */
    private final ArrayList<Runnable> wakes = new ArrayList<>();
    private ChannelHandlerContext ctx;
    private Settings peer;
    /** The server's budget that buffered pipe data is charged to, or {@code null} (clients). */
    private MemoryBudget memory;

    /**
     * @param executor where pipe callbacks and send completions run
     * @param registry the runtime's registry of open pipes
     * @param local this side's settings (its pipe window applies to the pipes it receives)
     * @param writes the connection's write queue (its sink must pass {@link Task}s to {@link Task#run()})
     */
    public PipeTable(Executor executor, PipeRegistry registry, Settings local, WriteQueue writes) {
        this.executor = executor;
        this.registry = registry;
        this.local = local;
        this.writes = writes;
    }

    /**
     * Charge the data buffered by the pipes this side receives to {@code budget} (the server's),
     * and hold back their credit while it is exhausted (before any call; event loop).
     */
    public void memory(MemoryBudget budget) {
        this.memory = budget;
    }

    /** The budget buffered pipe data is charged to, or {@code null}. */
    MemoryBudget memory() {
        return this.memory;
    }

    public Executor executor() {
        return this.executor;
    }

    public PipeRegistry registry() {
        return this.registry;
    }

    /** The channel context, once known (event loop). */
    public void context(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        // pipe senders stop at unwritability: with Netty's 64 KiB default a 64 KiB chunk flips it on
        // every frame, which costs an event and a flush each; a pipe window's worth halves the CPU per byte
        ctx.channel().config().setWriteBufferWaterMark(WATER_MARK);
    }

    /** The peer's settings, from its handshake (event loop). */
    public void peer(Settings peer) {
        this.peer = peer;
    }

    /**
     * Attach a call's pipes once its CALL frame is written (caller) or read (implementer); buffered
     * in-pipe data then follows the CALL (event loop).
     */
    public void attach(int callId, CallPipes pipes) {
        this.calls.put(callId, pipes);
        pipes.attach(this, callId, this.local, (this.peer != null) ? this.peer : Settings.DEFAULTS);
    }

    /**
     * The caller received the call's REPLY or ERROR (event loop): the call's pipes leave the table.
     * Those that have not ended fail when the call's handle completes, with the same outcome (which
     * may be a local one, such as a deadline, that won the race with this frame).
     */
    public void callEnded(int callId) {
        this.calls.remove(callId);
    }

    /**
     * The implementer's REPLY or ERROR frame for {@code callId} is about to be written (event loop):
     * the call's pipes leave the table and those that have not ended fail. Does not take ownership.
     */
    public void replying(int callId, ByteBuf response) {
        CallPipes pipes = this.calls.remove(callId);
        if (pipes != null) {
            pipes.finishSending(response);
        }
    }

    /** The caller cancelled the call abortively (implementer, event loop): its pipes fail with CANCELLED. */
    public void cancelled(int callId) {
        CallPipes pipes = this.calls.get(callId);
        if (pipes != null) {
            pipes.failAll(new RemoteCallException(Status.CANCELLED, "the caller cancelled the call " + pipes.operation()));
        }
    }

    /**
     * Route a pipe frame to its end (event loop). Always takes ownership of {@code frame}: the payload
     * of PIPE_DATA passes to the receiving end, everything else is released here. Frames for calls
     * no longer in progress are dropped.
     * @throws ProtocolException for a malformed frame, a frame addressed to the wrong end, or a
     *         credit overrun
     */
    public void onFrame(Frame frame) {
        boolean owned = true;
        try {
            ByteBuf p = frame.payload();
            if (p.readableBytes() < 1) {
                throw new ProtocolException(frame.type() + " without a pipe index");
            }
            int size = p.readableBytes();
            int index = p.readUnsignedByte();
            CallPipes pipes = this.calls.get(frame.callId());
            if (pipes == null) {
                return; // the call ended (or was never accepted): late pipe frames are dropped
            }
            PipeEnd<?> end = pipes.end(index);
            if (end == null) {
                throw new ProtocolException(frame.type() + " for pipe " + index + " of call " + frame.callId() + ", but "
                        + pipes.operation() + " has no such pipe");
            }
            switch (frame.type()) {
                case PIPE_DATA -> {
                    PipeReceiver<?> r = receiverOf(end, frame);
                    if (p.readableBytes() < 2) {
                        throw new ProtocolException("PIPE_DATA without an element count");
                    }
                    int count = p.readUnsignedShort();
                    checkElements(p, count);
                    owned = false;
                    r.onData(p, count, size);
                }
                case PIPE_END -> {
                    PipeReceiver<?> r = receiverOf(end, frame);
                    int outcome = p.readUnsignedByte();
                    if (outcome == PipeFrames.CLOSED) {
                        r.onEnd(null);
                    }
                    else if (outcome == PipeFrames.ABORTED) {
                        Status status = Status.fromCode(p.readUnsignedShort());
                        int len = p.readUnsignedShort();
                        if (len > p.readableBytes()) {
                            throw new ProtocolException("PIPE_END message length " + len + " exceeds the frame");
                        }
                        String message = p.readCharSequence(len, StandardCharsets.UTF_8).toString();
                        r.onEnd(new RemoteCallException(status, message));
                    }
                    else {
                        throw new ProtocolException("PIPE_END with unknown outcome " + outcome);
                    }
                }
                case CREDIT -> {
                    if (end.sender() == null) {
                        throw new ProtocolException("CREDIT for pipe " + index + " of call " + frame.callId() + ", which this side receives");
                    }
                    long bytes = p.readUnsignedInt();
                    end.sender().onCredit(bytes);
                }
                default -> throw new IllegalArgumentException("not a pipe frame: " + frame.type());
            }
        }
        finally {
            if (owned) {
                frame.release();
            }
        }
    }

    private static PipeReceiver<?> receiverOf(PipeEnd<?> end, Frame frame) {
        if (end.receiver() == null) {
            throw new ProtocolException(frame.type() + " for pipe " + end.sender().identity().index() + " of call " + frame.callId()
                    + ", which this side sends");
        }
        return end.receiver();
    }

    /**
     * Check that {@code count} length-prefixed elements fill the rest of the payload exactly. A
     * contiguous payload is read through one NIO view (not a buffer call per element); one that
     * spans several buffers (a large frame, see {@code FrameCumulator}) through the buffer, since
     * its NIO view would be a copy.
     */
    private static void checkElements(ByteBuf p, int count) {
        java.nio.ByteBuffer b = (p.nioBufferCount() == 1) ? p.nioBuffer(p.readerIndex(), p.readableBytes()) : null;
        int base = p.readerIndex();
        int at = 0;
        int end = p.readableBytes();
        for (int i = 0; i < count; i++) {
            if (end - at < 4) {
                throw new ProtocolException("PIPE_DATA announces " + count + " elements but holds " + i);
            }
            int length = (b != null) ? b.getInt(at) : p.getInt(base + at);
            if (length < 0 || length > end - at - 4) {
                throw new ProtocolException("PIPE_DATA element " + i + " has a bad length " + length);
            }
            at += 4 + length;
        }
        if (at != end) {
            throw new ProtocolException("PIPE_DATA has " + (end - at) + " bytes after its " + count + " elements");
        }
    }

    /**
     * The end of a read batch (event loop, from {@code channelReadComplete}): wake the consumers of
     * the pipes that received data in it. Holding the wake-ups until here means one executor task
     * per pipe per batch of frames, and a consumer that finds every frame of the batch at once (a
     * receiver with half its window buffered wakes its consumer before, see {@code PipeReceiver#onData}).
     */
    public void readComplete() {
        if (this.wakes.isEmpty()) {
            return;
        }
        Runnable[] run = this.wakes.toArray(Runnable[]::new);
        this.wakes.clear();
        for (Runnable r : run) {
            r.run();
        }
    }

    /** Hold a receiver's wake-up until {@link #readComplete()} (event loop). */
    void wakeAfterRead(Runnable wake) {
        this.wakes.add(wake);
    }

    /** The connection closed (event loop): every pipe fails with UNAVAILABLE, once. */
    public void closeAll(String message) {
        readComplete();
        List<CallPipes> all = this.calls.values();
        this.calls.clear();
        this.blocked.clear();
        for (CallPipes pipes : all) {
            pipes.finish(new RemoteCallException(Status.UNAVAILABLE, message));
            pipes.releaseHeld();
        }
    }

    /** The channel's writability changed (event loop): resume senders that waited for it. */
    public void writabilityChanged() {
        if (this.ctx == null || this.blocked.isEmpty()) {
            return;
        }
        PipeSender<?> s;
        while (this.ctx.channel().isWritable() && (s = this.blocked.poll()) != null) {
            s.run();
        }
        this.ctx.flush();
    }

    // ---- used by the ends ----

    void schedule(Task task) {
        this.writes.enqueue(task);
    }

    /**
     * Run {@code task} now and flush what it wrote if this is the event loop, else {@link #schedule}
     * it. For work whose frames may go ahead of what the write queue holds (credit).
     */
    void runOrSchedule(Task task) {
        if (inEventLoop()) {
            task.run();
            this.ctx.flush();
        }
        else {
            schedule(task);
        }
    }

    /**
     * Whether credit for consumed pipe data should wait: the memory budget is exhausted. A
     * receiver that waits retries {@link #retryLater} later.
     */
    boolean holdCredit() {
        return this.memory != null && this.memory.isExhausted() && this.ctx != null;
    }

    /** {@link #schedule} {@code task} again after {@link #CREDIT_RETRY_MILLIS} (event loop). */
    void retryLater(Task task) {
        try {
            this.ctx.executor().schedule(() -> this.writes.enqueue(task), CREDIT_RETRY_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        catch (RejectedExecutionException stopping) {
            // the event loop is shutting down: the connection and its pipes go with it
        }
    }

    /** Write a frame (event loop); ownership passes to the channel. */
    void write(ByteBuf frame) {
        if (this.ctx == null) {
            frame.release();
            return;
        }
        this.ctx.write(frame, this.ctx.voidPromise());
    }

    boolean isWritable() {
        return this.ctx != null && this.ctx.channel().isWritable();
    }

    void awaitWritable(PipeSender<?> sender) {
        this.blocked.add(sender);
    }

    boolean inEventLoop() {
        return this.ctx != null && this.ctx.executor().inEventLoop();
    }

    /** Run {@code task} on {@code executor}, or here if the executor refuses (it is shutting down). */
    static void execute(Executor executor, Runnable task) {
        if (executor == null) {
            task.run();
            return;
        }
        try {
            executor.execute(task);
        }
        catch (RejectedExecutionException ex) {
            task.run();
        }
    }
}
