package dev.asyncrpc.internal.client;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.asyncrpc.CancelMode;
import dev.asyncrpc.Status;
import dev.asyncrpc.internal.IntMap;
import dev.asyncrpc.internal.pipe.PipeTable;
import dev.asyncrpc.internal.protocol.CallMetadataReuse;
import dev.asyncrpc.internal.protocol.Frames;
import dev.asyncrpc.internal.protocol.Settings;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;

/**
 * The calls of one {@link ClientConnection}: call ids, the table of calls sent and not yet answered,
 * and the local queue of calls that wait to be sent (before the handshake, while the server's
 * {@code MAX_CONCURRENT_CALLS} are in flight, or while the channel is not writable). It starts a
 * call (id, deadline field, CALL frame written, not flushed), runs call deadlines (a queued call
 * fails unsent; a sent call is cancelled on the wire and fails), and hands the calls back when the
 * server answers or the connection closes. Event loop only; outcomes it decides itself (never sent,
 * deadline passed) are completed through {@code completions}.
 */
final class ClientCalls {

    private final IntMap<CallFuture<?>> calls = new IntMap<>();
    private final ArrayDeque<CallFuture<?>> waiting = new ArrayDeque<>();
    /** The client's count of calls queued on all its connections. */
    private final AtomicInteger queued;
    private final PipeTable pipes;
    private final Executor completions;
    /** The connection's event loop, which runs the deadlines of queued calls (the channel may not be active yet). */
    private final EventLoop loop;

    private ChannelHandlerContext ctx;
    /** The server's settings, {@code null} until the handshake is done. */
    private Settings peer;
    /** Sends a call's metadata once while it is unchanged, if the server announced METADATA_REUSE. */
    private CallMetadataReuse metadataReuse;
    private int nextId = 1;

    /**
     * @param queued the client's count of queued calls, kept up to date with this queue
     * @param pipes the connection's pipes, told when a call with pipes starts or ends
     * @param completions runs the outcomes this table decides (a call that fails unsent or expires)
     * @param loop the connection's event loop
     */
    ClientCalls(AtomicInteger queued, PipeTable pipes, Executor completions, EventLoop loop) {
        this.loop = loop;
        this.queued = queued;
        this.pipes = pipes;
        this.completions = completions;
    }

    /** The channel is active: calls can be written once the handshake is done. */
    void context(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /**
     * The handshake is done: calls are started up to the server's limit from now on. Starts none;
     * the caller starts the waiting ones with {@link #startWaiting()}.
     * @param reuseMetadata whether both sides announced METADATA_REUSE
     */
    void ready(Settings peer, boolean reuseMetadata) {
        this.peer = peer;
        if (reuseMetadata) {
            this.metadataReuse = new CallMetadataReuse(peer.maxMetadataSize());
        }
    }

    /** Start a call now if the server's limit and the channel allow it and none waits before it; queue it otherwise. */
    void offer(CallFuture<?> call) {
        if (call.isDone()) {
            call.releaseRequest(); // cancelled before it was sent: nothing goes on the wire
        }
        else if (this.peer == null || this.calls.size() >= this.peer.maxConcurrentCalls() || !this.waiting.isEmpty()
                || !this.ctx.channel().isWritable()) {
            this.waiting.add(call);
            this.queued.incrementAndGet();
            if (call.deadlineNanos != 0 && call.timer == null) {
                // its deadline runs while it waits here too: it fails unsent when it passes
                call.timer = this.loop.schedule(() -> expireQueued(call), call.deadlineNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
            }
            startWaiting();
        }
        else {
            start(call);
        }
    }

    /** Cancel a call: a CANCEL frame (not flushed) if it was sent and not answered; it fails here if it still waits. */
    void cancel(CallFuture<?> call, CancelMode mode) {
        if (call.id != 0 && this.calls.get(call.id) == call && this.ctx != null) {
            this.ctx.write(Frames.cancel(this.ctx.alloc(), call.id, mode == CancelMode.ABORTIVE ? 0 : 1), this.ctx.voidPromise());
        }
        else if (call.id == 0 && this.waiting.remove(call)) {
            this.queued.decrementAndGet();
            // never sent: the server cannot decide, so the cancel ends the call here
            call.releaseRequest();
            completeLater(call, Status.CANCELLED, "cancelled before it was sent");
        }
    }

    /** Start waiting calls while the server's limit and the channel allow (writes, does not flush). */
    void startWaiting() {
        if (this.peer == null || this.ctx == null) {
            return;
        }
        CallFuture<?> call;
        while (this.calls.size() < this.peer.maxConcurrentCalls() && this.ctx.channel().isWritable() && (call = this.waiting.poll()) != null) {
            this.queued.decrementAndGet();
            if (call.isDone()) {
                call.releaseRequest();
            }
            else {
                start(call);
            }
        }
    }

    boolean hasWaiting() {
        return !this.waiting.isEmpty();
    }

    /** Whether no call is sent and unanswered, and none waits. */
    boolean isEmpty() {
        return this.calls.isEmpty() && this.waiting.isEmpty();
    }

    private void start(CallFuture<?> call) {
        int id = this.nextId;
        while (id == 0 || this.calls.containsKey(id)) {
            id = (id == Integer.MAX_VALUE) ? 1 : id + 1;
        }
        this.nextId = (id == Integer.MAX_VALUE) ? 1 : id + 1;
        ByteBuf request = call.takeRequest();
        if (request.readableBytes() - Frames.LENGTH_FIELD > this.peer.maxFrameSize()) {
            int size = request.readableBytes() - Frames.LENGTH_FIELD;
            request.release();
            completeLater(call, Status.RESOURCE_EXHAUSTED, "request of " + size + " bytes exceeds the server's maxFrameSize of "
                    + this.peer.maxFrameSize() + " bytes");
            return;
        }
        if (call.deadlineNanos != 0) {
            long remaining = call.deadlineNanos - System.nanoTime();
            if (remaining <= 0) {
                request.release();
                completeLater(call, Status.DEADLINE_EXCEEDED, deadlineMessage(call));
                return;
            }
            if (call.timer != null) {
                call.timer.cancel(false); // the timer of its wait in the queue
            }
            long millis = Math.min(0xFFFF_FFFFL, (remaining + 999_999) / 1_000_000);
            request.setInt(request.readerIndex() + call.method.timeoutOffset(), (int) millis);
            call.timer = this.ctx.executor().schedule(() -> expire(call), remaining, TimeUnit.NANOSECONDS);
        }
        call.id = id;
        request.setInt(request.readerIndex() + Frames.CALL_ID_OFFSET, id);
        this.calls.put(id, call);
        if (this.metadataReuse != null) {
            request = this.metadataReuse.apply(this.ctx.alloc(), request);
        }
        this.ctx.write(request, this.ctx.voidPromise());
        if (call.pipes != null) {
            this.pipes.attach(id, call.pipes); // in-pipe data follows the CALL
        }
    }

    /** The deadline of a call still waiting to be sent passed: it fails, never sent. */
    private void expireQueued(CallFuture<?> call) {
        if (this.waiting.remove(call)) {
            this.queued.decrementAndGet();
            call.releaseRequest();
            completeLater(call, Status.DEADLINE_EXCEEDED, deadlineMessage(call) + " while it waited to be sent (the server's "
                    + (this.peer != null ? "limit of " + this.peer.maxConcurrentCalls() + " concurrent calls was reached" : "handshake was not done") + ")");
        }
    }

    /** The call's deadline passed: tell the server, fail the call. The entry stays until the server answers. */
    private void expire(CallFuture<?> call) {
        if (this.calls.get(call.id) != call || call.isDone()) {
            return;
        }
        this.ctx.writeAndFlush(Frames.cancel(this.ctx.alloc(), call.id, 0), this.ctx.voidPromise());
        call.expired = true; // the server's answer to the cancel must not overtake DEADLINE_EXCEEDED on the executor
        completeLater(call, Status.DEADLINE_EXCEEDED, deadlineMessage(call));
    }

    static String deadlineMessage(CallFuture<?> call) {
        return "deadline of " + java.time.Duration.ofNanos(call.method.timeoutNanos) + " passed for " + call.method.model.signature();
    }

    /**
     * The server answered call {@code id} (REPLY or ERROR): its entry, its pipes and its deadline end.
     * @return the call whose outcome the answer decides, or {@code null} if there is no such call or
     *         its outcome (DEADLINE_EXCEEDED) is decided already
     */
    CallFuture<?> answered(int id) {
        CallFuture<?> call = this.calls.remove(id);
        if (call == null) {
            return null;
        }
        if (call.pipes != null) {
            this.pipes.callEnded(call.id);
        }
        if (call.timer != null) {
            call.timer.cancel(false);
        }
        return call.expired ? null : call;
    }

    /**
     * The connection closed: empty the table and the queue. Deadlines stop; the requests of queued
     * calls are released.
     * @return the calls to fail, those sent first
     */
    List<CallFuture<?>> removeAll() {
        List<CallFuture<?>> all = new ArrayList<>(this.calls.size() + this.waiting.size());
        all.addAll(this.calls.values());
        for (CallFuture<?> call : all) {
            if (call.timer != null) {
                call.timer.cancel(false);
            }
        }
        this.calls.clear();
        CallFuture<?> w;
        while ((w = this.waiting.poll()) != null) {
            this.queued.decrementAndGet();
            w.releaseRequest();
            all.add(w);
        }
        return all;
    }

    /** Add the calls held here (sent and unanswered, or waiting to be sent) to {@code out}. */
    void snapshot(List<dev.asyncrpc.PendingCallInfo> out, long nowNanos) {
        for (CallFuture<?> call : this.calls.values()) {
            out.add(info(call, nowNanos));
        }
        for (CallFuture<?> call : this.waiting) {
            out.add(info(call, nowNanos));
        }
    }

    private static dev.asyncrpc.PendingCallInfo info(CallFuture<?> call, long nowNanos) {
        return new dev.asyncrpc.PendingCallInfo(call.method.model.service(), call.method.model.name(),
                java.time.Duration.ofNanos(Math.max(0, nowNanos - call.issuedNanos)), call.state());
    }

    private void completeLater(CallFuture<?> call, Status status, String message) {
        this.completions.execute(() -> call.fail(status, message));
    }
}
