package dev.asyncrpc.internal.client;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;

import dev.asyncrpc.CancelMode;
import dev.asyncrpc.Status;
import dev.asyncrpc.internal.pipe.PipeTable;
import dev.asyncrpc.internal.protocol.Frame;
import dev.asyncrpc.internal.protocol.FrameDecoder;
import dev.asyncrpc.internal.protocol.Frames;
import dev.asyncrpc.internal.protocol.ProtocolException;
import dev.asyncrpc.internal.protocol.Settings;
import dev.asyncrpc.internal.transport.ConnectionOptions;
import dev.asyncrpc.internal.transport.Endpoint;
import dev.asyncrpc.internal.transport.FrameReadTimeoutHandler;
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

/**
 * One connection of a client to one endpoint: the Netty handler that ties its parts together. Calls,
 * cancels, PINGs and pipe writes from any thread go through a {@link WriteQueue}, drained on the
 * event loop into the call table ({@link ClientCalls}: ids, the calls sent, the calls waiting for the
 * server's limit), the PINGs ({@link ClientPings}) or the pipes. {@link ClientHandshake} sends HELLO
 * and reads HELLO_ACK; {@link ClientCloseReason} records why the connection closes. Replies are
 * collected per read batch and completed on the client's executor, except those of plain (blocking)
 * callers whose completion runs no user code: they are completed on the event loop, which wakes the
 * caller ({@link ReplyCompletion}).
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

    private final ClientCloseReason closeReason;
    private final ClientHandshake handshake;
    /** Call ids, the call table and the calls waiting to be sent (event loop only). */
    private final ClientCalls calls;

    private volatile boolean closed;
    private volatile boolean goingAway;
    /** Set once the handshake is done (calls go out at once from then on). */
    private volatile boolean ready;
    /** The last call id the server said it may have dispatched (GOAWAY), or -1 before any GOAWAY. */
    private volatile long goAwayLastCallId = -1;

    // event loop only
    private Channel channel;
    private ChannelHandlerContext ctx;
    private List<Object> batch = new ArrayList<>();

    ClientConnection(ClientRuntime runtime, Endpoint endpoint, EventLoop loop) {
        this.runtime = runtime;
        this.endpoint = endpoint;
        this.loop = loop;
        this.writes = new WriteQueue(loop, this);
        this.pipes = new PipeTable(runtime.executor, runtime.pipeRegistry, runtime.settings, this.writes);
        this.closeReason = new ClientCloseReason(endpoint);
        this.handshake = new ClientHandshake(runtime.settings, runtime.handshakeTimeout, endpoint, this.closeReason);
        this.calls = new ClientCalls(runtime.queued, this.pipes, this::dispatch, loop);
        this.pings = new ClientPings(endpoint.toString(), this::dispatch, this.handshake::isDone);
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
            channel.pipeline().addLast("idle", new IdleTimeoutHandler(o.idleTimeout(), () -> !this.calls.isEmpty()));
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
        this.closeReason.connectFailed(cause);
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
            this.pings.start(ping, this.loop, this.handshake.isDone() ? this.ctx : null);
        }
        else if (item instanceof CallFuture<?> call) {
            this.calls.offer(call);
        }
        else if (item instanceof CancelRequest cr) {
            this.calls.cancel(cr.call(), cr.mode());
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

    // ---- inbound (event loop) ----

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.pipes.context(ctx);
        this.calls.context(ctx);
        this.handshake.begin(ctx);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Frame frame = (Frame) msg;
        boolean owned = true;
        try {
            switch (frame.type()) {
                case REPLY, ERROR -> {
                    CallFuture<?> call = this.calls.answered(frame.callId());
                    if (call != null) {
                        this.batch.add(call);
                        this.batch.add(frame);
                        owned = false;
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
                    this.closeReason.goingAway(body.message());
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
        Settings peer = this.handshake.onHelloAck(frame);
        this.calls.ready(peer, this.handshake.metadataReuse());
        this.pipes.peer(peer);
        this.ready = true;
        observe(o -> o.onConnection(dev.asyncrpc.CallObserver.CallInfo.Side.CLIENT, this.endpoint.toString(), true));
        this.calls.startWaiting();
        this.pings.sendWaiting(this.ctx);
        this.ctx.flush();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        this.pipes.readComplete(); // pipe consumers wake once per read batch
        if (!this.batch.isEmpty()) {
            List<Object> done = this.batch;
            this.batch = new ArrayList<>();
            this.calls.startWaiting();
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
        if (ctx.channel().isWritable() && this.calls.hasWaiting()) {
            this.calls.startWaiting();
            ctx.flush();
        }
        this.pipes.writabilityChanged();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof io.netty.handler.ssl.SslHandshakeCompletionEvent hs && !hs.isSuccess()) {
            this.closeReason.tlsHandshakeFailed(hs.cause());
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        this.closeReason.exceptionCaught(ctx, cause);
    }

    private void onClosed() {
        this.closed = true;
        if (this.handshake.isDone()) {
            observe(o -> o.onConnection(dev.asyncrpc.CallObserver.CallInfo.Side.CLIENT, this.endpoint.toString(), false));
        }
        this.handshake.stop();
        String message = closeMessage();
        this.pings.failAll(message);
        List<CallFuture<?>> failed = this.calls.removeAll();
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
        return this.closeReason.message(this.handshake.isDone());
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

    boolean isClosed() {
        return this.closed;
    }

    /** Add the calls this connection holds (sent and unanswered, or waiting to be sent) to {@code out}. Event loop. */
    void snapshot(List<dev.asyncrpc.PendingCallInfo> out, long nowNanos) {
        this.calls.snapshot(out, nowNanos);
    }

    EventLoop loop() {
        return this.loop;
    }

    /** Close the connection; outstanding calls fail with UNAVAILABLE and {@code reason}. Any thread. */
    void close(String reason) {
        try {
            this.loop.execute(() -> {
                this.closeReason.offer(reason);
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
