package dev.asyncrpc.internal.client;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import dev.asyncrpc.CancelMode;
import dev.asyncrpc.Status;
import dev.asyncrpc.internal.pipe.PipeTable;
import dev.asyncrpc.internal.protocol.CallMetadataReuse;
import dev.asyncrpc.internal.protocol.Frame;
import dev.asyncrpc.internal.protocol.FrameDecoder;
import dev.asyncrpc.internal.protocol.FrameType;
import dev.asyncrpc.internal.protocol.Frames;
import dev.asyncrpc.internal.protocol.ProtocolException;
import dev.asyncrpc.internal.protocol.Settings;
import dev.asyncrpc.internal.transport.ConnectionOptions;
import dev.asyncrpc.internal.transport.ConnectionTimeoutException;
import dev.asyncrpc.internal.transport.Endpoint;
import dev.asyncrpc.internal.transport.FrameReadTimeoutHandler;
import dev.asyncrpc.internal.transport.GracefulClose;
import dev.asyncrpc.internal.transport.IdleTimeoutHandler;
import dev.asyncrpc.internal.transport.KeepAliveHandler;
import dev.asyncrpc.internal.transport.OutboundLimitHandler;
import dev.asyncrpc.internal.transport.WriteCoalescer;
import dev.asyncrpc.internal.transport.PingResponder;
import dev.asyncrpc.internal.transport.ReadGate;
import dev.asyncrpc.internal.transport.WriteQueue;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import dev.asyncrpc.internal.IntMap;

/**
 * One connection of a client to one endpoint. Calls from any thread go through a {@link WriteQueue};
 * the call table, id assignment and the handshake live on the event loop. Replies are collected per
 * read batch and completed on the client's executor, except those of plain (blocking) callers whose
 * completion runs no user code: they are completed on the event loop, which wakes the caller.
 */
final class ClientConnection extends ChannelInboundHandlerAdapter implements WriteQueue.Sink {

    private record CancelRequest(CallFuture<?> call, CancelMode mode) {
    }

    private final ClientRuntime runtime;
    final Endpoint endpoint;
    private final EventLoop loop;
    private final WriteQueue writes;
    private final PipeTable pipes;
    /** PINGs held, sent and unanswered (event loop only). */
    private final ClientPings pings;

    private volatile boolean closed;
    private volatile String closeReason;
    private volatile boolean goingAway;
    /** Set once the handshake is done (calls go out at once from then on). */
    private volatile boolean ready;
    /** The last call id the server said it may have dispatched (GOAWAY), or -1 before any GOAWAY. */
    private volatile long goAwayLastCallId = -1;

    // event loop only
    private Channel channel;
    private ChannelHandlerContext ctx;
    private final IntMap<CallFuture<?>> calls = new IntMap<>();
    private final ArrayDeque<CallFuture<?>> waiting = new ArrayDeque<>();
    private Settings peer;
    /** Sends a call's metadata once while it is unchanged, if the server announced METADATA_REUSE (loop). */
    private CallMetadataReuse metadataReuse;
    private int nextId = 1;
    private List<Object> batch = new ArrayList<>();
    private ScheduledFuture<?> handshakeTimer;

    ClientConnection(ClientRuntime runtime, Endpoint endpoint, EventLoop loop) {
        this.runtime = runtime;
        this.endpoint = endpoint;
        this.loop = loop;
        this.writes = new WriteQueue(loop, this);
        this.pipes = new PipeTable(runtime.executor, runtime.pipeRegistry, runtime.settings, this.writes);
        this.pings = new ClientPings(endpoint.toString(), this::dispatch, () -> this.peer != null);
    }

    boolean isUsable() {
        return !this.closed && !this.goingAway;
    }

    /** Whether the handshake is done and the connection still takes calls. Any thread. */
    boolean isReady() {
        return this.ready && isUsable();
    }

    /**
     * The highest call id the server may have dispatched, from its GOAWAY; -1 if none was received.
     * A call with a larger id was never dispatched, so it is safe to send again. Any thread.
     */
    long goAwayLastCallId() {
        return this.goAwayLastCallId;
    }

    /** Attach the channel (before it connects); closing it fails everything outstanding. */
    void attach(Channel channel) {
        this.channel = channel;
        ConnectionOptions o = this.runtime.options;
        channel.pipeline().addFirst("read-gate", new ReadGate());
        channel.pipeline().addLast("outbound-limit", new OutboundLimitHandler(o.writeLowWaterMark(), o.writeHighWaterMark(), o.writeStallTimeout()));
        channel.pipeline().addLast("coalesce", new WriteCoalescer());
        if (!o.keepAliveInterval().isZero()) {
            channel.pipeline().addLast("keepalive", new KeepAliveHandler(o.keepAliveInterval(), o.keepAliveTimeout()));
        }
        channel.pipeline().addLast("frames", new FrameDecoder(this.runtime.settings.maxFrameSize()));
        if (!o.frameReadTimeout().isZero()) {
            channel.pipeline().addLast("frame-read-timeout", new FrameReadTimeoutHandler(o.frameReadTimeout()));
        }
        channel.pipeline().addLast("pings", new PingResponder());
        if (!o.idleTimeout().isZero()) {
            channel.pipeline().addLast("idle", new IdleTimeoutHandler(o.idleTimeout(), () -> !this.calls.isEmpty() || !this.waiting.isEmpty()));
        }
        channel.pipeline().addLast("client", this);
        channel.closeFuture().addListener(f -> onClosed());
    }

    /** Send a call; ownership of its request passes to the connection. Any thread. */
    void send(CallFuture<?> call) {
        call.connection = this;
        this.writes.enqueue(call);
    }

    /**
     * Send a PING once the handshake is done; the future completes with the time from the PING's
     * write to the matching PONG, or fails with {@link Status#UNAVAILABLE} if the connection fails
     * first, or with {@link Status#DEADLINE_EXCEEDED} once {@code timeout} has passed. Any thread.
     */
    java.util.concurrent.CompletableFuture<java.time.Duration> ping(java.time.Duration timeout) {
        ClientPings.Ping ping = new ClientPings.Ping(timeout.toNanos());
        this.writes.enqueue(ping);
        return ping.future;
    }

    void cancel(CallFuture<?> call, CancelMode mode) {
        if (!this.closed) {
            this.writes.enqueue(new CancelRequest(call, mode));
        }
    }

    /** Record why a connect attempt failed, for the calls' messages. */
    void connectFailed(Throwable cause) {
        this.closeReason = "cannot connect to " + this.endpoint + ": " + describe(cause);
    }

    // ---- WriteQueue.Sink (event loop) ----

    @Override
    public void drain(Object item) {
        if (this.closed) {
            discard(item);
            return;
        }
        if (item instanceof PipeTable.Task task) {
            task.run();
        }
        else if (item instanceof ClientPings.Ping ping) {
            this.pings.start(ping, this.loop, (this.peer == null) ? null : this.ctx);
        }
        else if (item instanceof CallFuture<?> call) {
            if (call.isDone()) {
                call.releaseRequest(); // cancelled before it was sent: nothing goes on the wire
            }
            else if (this.peer == null || this.calls.size() >= this.peer.maxConcurrentCalls() || !this.waiting.isEmpty()
                    || !this.ctx.channel().isWritable()) {
                this.waiting.add(call);
                this.runtime.queued.incrementAndGet();
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
        else if (item instanceof CancelRequest cr) {
            CallFuture<?> call = cr.call();
            if (call.id != 0 && this.calls.get(call.id) == call && this.ctx != null) {
                this.ctx.write(Frames.cancel(this.ctx.alloc(), call.id, cr.mode() == CancelMode.ABORTIVE ? 0 : 1), this.ctx.voidPromise());
            }
            else if (call.id == 0 && this.waiting.remove(call)) {
                this.runtime.queued.decrementAndGet();
                // never sent: the server cannot decide, so the cancel ends the call here
                call.releaseRequest();
                completeLater(call, Status.CANCELLED, "cancelled before it was sent");
            }
        }
        else if (item instanceof ByteBuf buf) {
            if (this.ctx != null) {
                this.ctx.write(buf, this.ctx.voidPromise());
            }
            else {
                buf.release();
            }
        }
    }

    @Override
    public void flush() {
        if (this.ctx != null) {
            this.ctx.flush();
        }
    }

    @Override
    public void discard(Object item) {
        if (item instanceof ClientPings.Ping ping) {
            this.pings.fail(ping, Status.UNAVAILABLE, closeMessage());
        }
        else if (item instanceof CallFuture<?> call) {
            call.releaseRequest();
            completeLater(call, Status.UNAVAILABLE, closeMessage());
        }
        else if (item instanceof ByteBuf buf) {
            buf.release();
        }
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

    /** The deadline of a call still waiting to be sent passed (loop): it fails, never sent. */
    private void expireQueued(CallFuture<?> call) {
        if (this.waiting.remove(call)) {
            this.runtime.queued.decrementAndGet();
            call.releaseRequest();
            completeLater(call, Status.DEADLINE_EXCEEDED, deadlineMessage(call) + " while it waited to be sent (the server's "
                    + (this.peer != null ? "limit of " + this.peer.maxConcurrentCalls() + " concurrent calls was reached" : "handshake was not done") + ")");
        }
    }

    /** The call's deadline passed (loop): tell the server, fail the call. The entry stays until the server answers. */
    private void expire(CallFuture<?> call) {
        if (this.calls.get(call.id) != call || call.isDone()) {
            return;
        }
        this.ctx.writeAndFlush(Frames.cancel(this.ctx.alloc(), call.id, 0), this.ctx.voidPromise());
        call.expired = true; // the server's answer to the cancel must not overtake DEADLINE_EXCEEDED on the executor
        completeLater(call, Status.DEADLINE_EXCEEDED, deadlineMessage(call));
    }

    private static String deadlineMessage(CallFuture<?> call) {
        return "deadline of " + java.time.Duration.ofNanos(call.method.timeoutNanos) + " passed for " + call.method.model.signature();
    }

    private void startWaiting() {
        if (this.peer == null || this.ctx == null) {
            return;
        }
        CallFuture<?> call;
        while (this.calls.size() < this.peer.maxConcurrentCalls() && this.ctx.channel().isWritable() && (call = this.waiting.poll()) != null) {
            this.runtime.queued.decrementAndGet();
            if (call.isDone()) {
                call.releaseRequest();
            }
            else {
                start(call);
            }
        }
    }

    // ---- inbound (event loop) ----

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.pipes.context(ctx);
        ctx.writeAndFlush(Frames.hello(ctx.alloc(), FrameType.HELLO, Frames.VERSION, this.runtime.settings));
        long timeout = this.runtime.handshakeTimeout.toMillis();
        this.handshakeTimer = ctx.executor().schedule(() -> {
            if (this.peer == null) {
                this.closeReason = "no asyncrpc handshake from " + this.endpoint + " within " + timeout
                        + " ms (is it an asyncrpc server, and do both sides agree on TLS?)";
                ctx.close();
            }
        }, timeout, TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Frame frame = (Frame) msg;
        boolean owned = true;
        try {
            switch (frame.type()) {
                case REPLY, ERROR -> {
                    CallFuture<?> call = this.calls.remove(frame.callId());
                    if (call != null) {
                        if (call.pipes != null) {
                            this.pipes.callEnded(call.id);
                        }
                        if (call.timer != null) {
                            call.timer.cancel(false);
                        }
                        if (!call.expired) { // an expired call's outcome (DEADLINE_EXCEEDED) is on its way already
                            this.batch.add(call);
                            this.batch.add(frame);
                            owned = false;
                        }
                    }
                }
                case PIPE_DATA, PIPE_END, CREDIT -> {
                    owned = false;
                    this.pipes.onFrame(frame);
                }
                case HELLO_ACK -> onHelloAck(frame);
                case PONG -> this.pings.onPong(frame);
                case GOAWAY -> {
                    Frames.GoAwayBody body = Frames.readGoAway(frame.payload());
                    this.goAwayLastCallId = body.lastCallId() & 0xFFFF_FFFFL;
                    this.goingAway = true;
                    this.closeReason = this.endpoint + " is going away: " + body.message();
                    observe(o -> o.onGoAway(dev.asyncrpc.CallObserver.CallInfo.Side.CLIENT, this.endpoint.toString()));
                }
                default -> throw new ProtocolException("unexpected " + frame.type() + " frame from the server");
            }
        }
        finally {
            if (owned) {
                frame.release();
            }
        }
    }

    private void onHelloAck(Frame frame) {
        if (this.peer != null) {
            throw new ProtocolException("second HELLO_ACK");
        }
        Frames.Hello hello = Frames.readHello(frame.payload());
        if (hello.version() != Frames.VERSION) {
            throw new ProtocolException("server chose unsupported protocol version " + hello.version());
        }
        this.peer = hello.settings();
        if (Settings.metadataReuse(this.runtime.settings, this.peer)) {
            this.metadataReuse = new CallMetadataReuse(this.peer.maxMetadataSize());
        }
        this.pipes.peer(this.peer);
        this.ready = true;
        observe(o -> o.onConnection(dev.asyncrpc.CallObserver.CallInfo.Side.CLIENT, this.endpoint.toString(), true));
        if (this.handshakeTimer != null) {
            this.handshakeTimer.cancel(false);
        }
        startWaiting();
        this.pings.sendWaiting(this.ctx);
        this.ctx.flush();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        this.pipes.readComplete(); // pipe consumers wake once per read batch
        if (!this.batch.isEmpty()) {
            List<Object> done = this.batch;
            this.batch = new ArrayList<>();
            startWaiting();
            if (this.runtime.directCompletion) {
                ReplyCompletion.complete(done);
            }
            else {
                List<Object> later = ReplyCompletion.onLoop(done);
                if (later != null) {
                    dispatch(() -> ReplyCompletion.complete(later));
                }
            }
        }
        ctx.flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && !this.waiting.isEmpty()) {
            startWaiting();
            ctx.flush();
        }
        this.pipes.writabilityChanged();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof io.netty.handler.ssl.SslHandshakeCompletionEvent hs && !hs.isSuccess()) {
            this.closeReason = "TLS handshake with " + this.endpoint + " failed: " + describe(hs.cause());
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable c = (cause instanceof io.netty.handler.codec.DecoderException && cause.getCause() != null) ? cause.getCause() : cause;
        if (c instanceof javax.net.ssl.SSLException && this.closeReason == null) {
            this.closeReason = "TLS with " + this.endpoint + " failed: " + describe(c);
        }
        if (c instanceof Error) {
            System.getLogger(ClientConnection.class.getName()).log(System.Logger.Level.ERROR,
                    "asyncrpc client: " + c + " on the connection to " + this.endpoint + "; closing it", c);
            if (this.closeReason == null) {
                this.closeReason = "connection to " + this.endpoint + " failed: " + c;
            }
            ctx.close();
        }
        else if (GracefulClose.isClosing(ctx.channel())) {
            return; // closing with a GOAWAY already
        }
        else if (c instanceof ConnectionTimeoutException te) {
            if (this.closeReason == null) {
                this.closeReason = "connection to " + this.endpoint + " closed: " + te.getMessage();
            }
            if (te.kind() == ConnectionTimeoutException.Kind.KEEPALIVE) {
                ctx.close(); // the server is gone or paused: nobody reads a GOAWAY
            }
            else {
                GracefulClose.close(ctx.channel(), Frames.goAway(ctx.alloc(), 0, Status.UNAVAILABLE, te.getMessage()));
            }
        }
        else if (c instanceof ProtocolException) {
            this.closeReason = "protocol error from " + this.endpoint + ": " + c.getMessage();
            GracefulClose.close(ctx.channel(), Frames.goAway(ctx.alloc(), 0, Status.PROTOCOL_ERROR, c.getMessage()));
        }
        else {
            if (this.closeReason == null) {
                this.closeReason = "connection to " + this.endpoint + " failed: " + describe(c);
            }
            ctx.close();
        }
    }

    private void onClosed() {
        this.closed = true;
        if (this.peer != null) {
            observe(o -> o.onConnection(dev.asyncrpc.CallObserver.CallInfo.Side.CLIENT, this.endpoint.toString(), false));
        }
        if (this.handshakeTimer != null) {
            this.handshakeTimer.cancel(false);
        }
        String message = closeMessage();
        this.pings.failAll(message);
        List<CallFuture<?>> failed = new ArrayList<>(this.calls.size() + this.waiting.size());
        failed.addAll(this.calls.values());
        for (CallFuture<?> call : failed) {
            if (call.timer != null) {
                call.timer.cancel(false);
            }
        }
        this.calls.clear();
        CallFuture<?> w;
        while ((w = this.waiting.poll()) != null) {
            this.runtime.queued.decrementAndGet();
            w.releaseRequest();
            failed.add(w);
        }
        List<Object> pending = this.batch;
        this.batch = new ArrayList<>();
        this.pipes.closeAll(message);
        this.writes.discardAll();
        this.runtime.connectionClosed(this);
        if (failed.isEmpty() && pending.isEmpty()) {
            return;
        }
        dispatch(() -> {
            ReplyCompletion.complete(pending);
            for (CallFuture<?> call : failed) {
                call.fail(Status.UNAVAILABLE, message);
            }
        });
    }

    private void observe(java.util.function.Consumer<dev.asyncrpc.CallObserver> event) {
        if (this.runtime.observer != dev.asyncrpc.CallObserver.NONE) {
            try {
                event.accept(this.runtime.observer);
            }
            catch (RuntimeException ex) {
                System.getLogger(ClientConnection.class.getName()).log(System.Logger.Level.WARNING, "CallObserver failed", ex);
            }
        }
    }

    private String closeMessage() {
        String reason = this.closeReason;
        if (reason != null) {
            return reason;
        }
        return (this.peer == null)
                ? "connection to " + this.endpoint + " closed during the handshake (is it an asyncrpc server, and do both sides agree on TLS?)"
                : "connection to " + this.endpoint + " closed";
    }

    private void completeLater(CallFuture<?> call, Status status, String message) {
        dispatch(() -> call.fail(status, message));
    }

    private void dispatch(Runnable task) {
        try {
            this.runtime.executor.execute(task);
        }
        catch (RejectedExecutionException ex) {
            task.run(); // the client is closing: complete here rather than lose the outcome
        }
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return (m != null) ? m : t.getClass().getSimpleName();
    }

    boolean isClosed() {
        return this.closed;
    }

    /** Add the calls this connection holds (sent and unanswered, or waiting to be sent) to {@code out}. Event loop. */
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

    EventLoop loop() {
        return this.loop;
    }

    /** Close the connection; outstanding calls fail with UNAVAILABLE and {@code reason}. Any thread. */
    void close(String reason) {
        try {
            this.loop.execute(() -> {
                if (this.closeReason == null) {
                    this.closeReason = reason;
                }
                if (this.channel != null) {
                    this.channel.close();
                }
            });
        }
        catch (RejectedExecutionException ex) {
            // the loop is gone, and the channel with it
        }
    }
}
