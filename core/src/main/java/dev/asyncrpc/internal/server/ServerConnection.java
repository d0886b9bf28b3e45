package dev.asyncrpc.internal.server;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executor;

import dev.asyncrpc.Status;
import dev.asyncrpc.internal.pipe.PipeTable;
import dev.asyncrpc.internal.protocol.Frame;
import dev.asyncrpc.internal.protocol.FrameType;
import dev.asyncrpc.internal.protocol.Frames;
import dev.asyncrpc.internal.protocol.MetadataReader;
import dev.asyncrpc.internal.protocol.ProtocolException;
import dev.asyncrpc.internal.protocol.Settings;
import dev.asyncrpc.internal.transport.ConnectionOptions;
import dev.asyncrpc.internal.transport.ConnectionTimeoutException;
import dev.asyncrpc.internal.transport.KeepAliveHandler;
import dev.asyncrpc.internal.transport.GracefulClose;
import dev.asyncrpc.internal.transport.PingResponder;
import dev.asyncrpc.internal.transport.ReadBackoff;
import dev.asyncrpc.internal.transport.ReadGate;
import dev.asyncrpc.internal.transport.ResourceLimitException;
import dev.asyncrpc.internal.transport.WriteQueue;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import dev.asyncrpc.internal.IntMap;

/**
 * The server end of one connection, on its event loop: the handshake, the call table, CALL parsing
 * up to the operation lookup, replies and the connection's end. Whether a call is taken is
 * {@link CallAdmission}'s to decide; where and in which order it runs, {@link CallDispatch}'s (small
 * calls of asynchronous implementations whose {@link InlineGate} is open run on this event loop;
 * the rest on the workers). Replies come back from any thread through the {@link WriteQueue}.
 */
final class ServerConnection extends ChannelInboundHandlerAdapter implements WriteQueue.Sink {

    private final ServerRuntime runtime;
    private final Executor executor;
    /** This connection's share of the workers. */
    private final WorkLane lane;
    private WriteQueue writes;
    private PipeTable pipes;
    /** Whether a new call may be taken; slows reading while calls are refused for a spent budget. */
    private CallAdmission admission;
    private ChannelHandlerContext ctx;

    // event loop only
    private boolean helloDone;
    /** A graceful close has started (its GOAWAY is on its way): frames are ignored from now on. */
    private boolean closing;
    private int highestCallId;
    private final IntMap<ServerCallContext> calls = new IntMap<>();
    /** Where admitted calls run (made with the channel). */
    private CallDispatch dispatch;
    private String lastName;
    /** {@link #lastName} in UTF-8: the next CALL's name is compared with it without decoding. */
    private byte[] lastNameUtf8;
    private ServerMethod lastMethod;
    /** Decodes CALL metadata, reusing the strings of entries the client sends unchanged (a bearer token). */
    private final MetadataReader metadata = new MetadataReader();
    private java.util.concurrent.ScheduledFuture<?> handshakeTimer;
    /** The client's limits, from its HELLO. */
    private Settings peerSettings;

    ServerConnection(ServerRuntime runtime) {
        this.runtime = runtime;
        this.executor = runtime.executor();
        this.lane = runtime.dispatch().newLane();
    }

    ServerRuntime runtime() {
        return this.runtime;
    }

    ByteBufAllocator alloc() {
        return this.ctx.alloc();
    }

    /**
     * Write a finished call's reply frame: at once when the call answers while it runs on this
     * event loop (the flush at the end of the read sends it), else through the {@link WriteQueue}.
     * Any thread.
     */
    void reply(ServerCallContext call) {
        if (call.pipes == null && this.ctx.executor().inEventLoop() && this.dispatch.isRunningOnLoop()) {
            drain(call);
            return;
        }
        this.writes.enqueue(call);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.writes = new WriteQueue(ctx.channel().eventLoop(), this);
        this.pipes = new PipeTable(this.executor, this.runtime.pipes(), this.runtime.settings(), this.writes);
        this.pipes.memory(this.runtime.memory());
        this.pipes.context(ctx);
        this.dispatch = new CallDispatch(this.lane, this.runtime, ctx.executor());
        this.admission = CallAdmission.of(this.runtime, new ReadBackoff(ReadGate.of(ctx.channel()), ctx.executor()));
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        long timeout = this.runtime.options().handshakeTimeout().toMillis();
        this.handshakeTimer = ctx.executor().schedule(() -> {
            if (!this.helloDone) {
                // not an asyncrpc client (or a TLS mismatch): do not hold the connection
                closeGracefully(Frames.goAway(ctx.alloc(), 0, Status.UNAVAILABLE, "no HELLO within the handshake timeout of " + timeout + " ms"));
            }
        }, timeout, java.util.concurrent.TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    /** The client's TLS certificate chain, read once (any thread, after the handshake). */
    private volatile List<java.security.cert.X509Certificate> peerCertificates;

    /** The client's certificate chain for {@code ServerCall.peerCertificates()}; empty without mutual TLS. */
    List<java.security.cert.X509Certificate> peerCertificates() {
        List<java.security.cert.X509Certificate> chain = this.peerCertificates;
        if (chain == null) {
            chain = TlsPeer.certificates(this.ctx.channel());
            this.peerCertificates = chain;
        }
        return chain;
    }

    /** Whether calls are in progress (for the idle timeout). Event loop. */
    boolean isBusy() {
        return !this.calls.isEmpty() || this.dispatch.hasWaiting();
    }

    /** The client's address for {@code ServerCall.peer()}. */
    String peer() {
        java.net.SocketAddress a = this.ctx.channel().remoteAddress();
        if (a instanceof java.net.InetSocketAddress isa) {
            String host = isa.getAddress() != null ? isa.getAddress().getHostAddress() : isa.getHostString();
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + isa.getPort();
        }
        return String.valueOf(a);
    }

    Executor executor() {
        return this.executor;
    }

    // ---- inbound (event loop) ----

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Frame frame = (Frame) msg;
        if (this.closing) {
            frame.release(); // read before the close started (later in the same read, or held by the decoder): nobody is served any more
            return;
        }
        boolean owned = true;
        int payloadBytes = frame.payload().readableBytes();
        try {
            if (!this.helloDone && frame.type() != FrameType.HELLO) {
                throw new ProtocolException("handshake", "expected HELLO, got " + frame.type());
            }
            switch (frame.type()) {
                case HELLO -> onHello(frame);
                case CALL -> owned = !onCall(frame);
                case CANCEL -> {
                    ServerCallContext call = this.calls.get(frame.callId());
                    boolean abortive = frame.payload().readableBytes() == 0 || frame.payload().readUnsignedByte() == 0;
                    if (call != null) {
                        runOffLoop(WorkerTask.of(() -> call.cancelled(abortive)));
                    }
                    if (abortive) {
                        this.pipes.cancelled(frame.callId()); // the implementation's pushes and pulls fail with CANCELLED
                    }
                }
                case PIPE_DATA, PIPE_END, CREDIT -> {
                    owned = false;
                    try {
                        this.pipes.onFrame(frame);
                    }
                    catch (ProtocolException ex) {
                        throw ProtocolException.OTHER.equals(ex.kind()) ? new ProtocolException("pipe", ex.getMessage()) : ex;
                    }
                }
                case PONG -> { }
                case GOAWAY -> ctx.close();
                default -> throw new ProtocolException("unexpected-frame", "unexpected " + frame.type() + " frame from a client");
            }
        }
        catch (IndexOutOfBoundsException ex) {
            // never show buffer internals to the peer: say what was wrong in protocol terms
            throw new ProtocolException("malformed-frame", "malformed " + frame.type() + " frame: its payload of " + payloadBytes
                    + " bytes ends before the fields it announces");
        }
        finally {
            if (owned) {
                frame.release();
            }
        }
    }

    private void onHello(Frame frame) {
        if (this.helloDone) {
            throw new ProtocolException("handshake", "second HELLO");
        }
        Frames.Hello hello;
        try {
            hello = Frames.readHello(frame.payload());
        }
        catch (ProtocolException ex) {
            throw ProtocolException.OTHER.equals(ex.kind()) ? new ProtocolException("handshake", ex.getMessage()) : ex;
        }
        if (hello.version() < Frames.VERSION) {
            throw new ProtocolException("handshake", "client speaks protocol version " + hello.version() + ", this server needs " + Frames.VERSION);
        }
        this.helloDone = true;
        this.peerSettings = hello.settings();
        this.pipes.peer(hello.settings());
        this.ctx.pipeline().addBefore(this.ctx.name(), "pings", new PingResponder());
        ConnectionOptions options = this.runtime.options();
        if (!options.keepAliveInterval().isZero()) {
            // keepalive starts with the handshake done: no PING ever precedes the HELLO_ACK
            io.netty.channel.ChannelHandlerContext frames = this.ctx.pipeline().context(dev.asyncrpc.internal.protocol.FrameDecoder.class);
            KeepAliveHandler keepAlive = new KeepAliveHandler(options.keepAliveInterval(), options.keepAliveTimeout());
            if (frames != null) {
                this.ctx.pipeline().addBefore(frames.name(), "keepalive", keepAlive); // before the decoder: any bytes count
            }
            else {
                this.ctx.pipeline().addBefore(this.ctx.name(), "keepalive", keepAlive);
            }
        }
        if (this.handshakeTimer != null) {
            this.handshakeTimer.cancel(false);
        }
        String peer = peer();
        this.runtime.observe(o -> o.onConnection(dev.asyncrpc.CallObserver.CallInfo.Side.SERVER, peer, true));
        this.ctx.write(Frames.hello(this.ctx.alloc(), FrameType.HELLO_ACK, Frames.VERSION, this.runtime.settings()), this.ctx.voidPromise());
    }

    /** @return whether ownership of the frame's payload was taken */
    private boolean onCall(Frame frame) {
        int id = frame.callId();
        this.highestCallId = Math.max(this.highestCallId, id);
        ByteBuf p = frame.payload();
        if (id == 0 || this.calls.containsKey(id)) {
            throw new ProtocolException("call", "CALL with " + (id == 0 ? "call id 0" : "call id " + id + " already in progress"));
        }
        int nameLength = p.readUnsignedShort();
        if (nameLength > p.readableBytes()) {
            throw new ProtocolException("call", "CALL operation name length " + nameLength + " exceeds the frame");
        }
        String name = sameName(p, nameLength) ? this.lastName : p.toString(p.readerIndex(), nameLength, StandardCharsets.UTF_8);
        p.skipBytes(nameLength);
        int flags = frame.flags();
        long timeoutMillis = -1;
        int orderingKey = 0;
        java.util.Map<String, String> metadata = java.util.Map.of();
        if ((flags & Frames.CALL_DEADLINE) != 0) {
            timeoutMillis = p.readUnsignedInt();
        }
        if ((flags & Frames.CALL_CAUSAL) != 0) {
            orderingKey = p.readInt();
        }
        if ((flags & Frames.CALL_SAME_METADATA) != 0) {
            metadata = this.metadata.same(flags, Settings.metadataReuse(this.runtime.settings(), this.peerSettings));
        }
        if ((flags & Frames.CALL_METADATA) != 0) {
            int size = p.readUnsignedShort();
            if (refused(id, this.admission.checkMetadata(size))) {
                return false;
            }
            metadata = this.metadata.read(p.readSlice(size));
        }
        if (refused(id, this.admission.checkConnection(this.calls.size()))) {
            return false;
        }
        ServerMethod method;
        if (name == this.lastName) {
            method = this.lastMethod;
        }
        else {
            method = this.runtime.registry().find(name);
            if (method == null) {
                error(id, Status.UNIMPLEMENTED, this.runtime.registry().unknown(name));
                return false;
            }
            this.lastName = name;
            this.lastNameUtf8 = name.getBytes(StandardCharsets.UTF_8);
            this.lastMethod = method;
        }
        int charge = p.readableBytes();
        if (refused(id, this.admission.admit(charge))) {
            return false;
        }
        ServerCallContext call = new ServerCallContext(id, method, this, p, orderingKey, timeoutMillis, metadata);
        call.argumentCharge = charge;
        this.calls.put(id, call);
        attachPipes(call);
        if (timeoutMillis >= 0) {
            call.deadlineTimer = this.ctx.executor().schedule(() -> runOffLoop(new WorkerTask() {
                @Override
                public void run() {
                    call.deadlinePassed();
                }

                @Override
                public void rejected(Status status, String message) {
                    call.discard();
                    call.fail(Status.DEADLINE_EXCEEDED, ReplyFrames.deadlineMessage(call.method));
                }
            }), timeoutMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        this.dispatch.add(call);
        return true;
    }

    /** Answer call {@code id} with {@code refusal}, if there is one. */
    private boolean refused(int id, CallAdmission.Refusal refusal) {
        if (refusal == null) {
            return false;
        }
        error(id, refusal.status(), refusal.message());
        return true;
    }

    /** Whether the {@code length} bytes at the reader index of {@code p} are the last operation's name. */
    private boolean sameName(ByteBuf p, int length) {
        byte[] last = this.lastNameUtf8;
        if (last == null || last.length != length) {
            return false;
        }
        int at = p.readerIndex();
        for (int i = 0; i < length; i++) {
            if (p.getByte(at + i) != last[i]) {
                return false;
            }
        }
        return true;
    }

    /** Make the implementer's pipe ends of a new call; pipe frames after the CALL find them (loop). */
    private void attachPipes(ServerCallContext call) {
        if (call.method.pipes != null) {
            CallCallbacks callbacks = new CallCallbacks(call, this.executor);
            call.pipes = call.method.pipes.newImplementer(callbacks, callbacks.availability(call.method.pipeCallbacks, this.ctx.executor()),
                    this.runtime.pipes());
            this.pipes.attach(call.id, call.pipes);
        }
    }

    /** Control work (cancel, deadline, disconnect) bypasses the lane; a refusal is counted and logged. */
    private void runOffLoop(WorkerTask task) {
        this.runtime.dispatch().execute(task);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        this.pipes.readComplete(); // pipe consumers wake once per read batch
        this.dispatch.readComplete();
        ctx.flush();
        this.admission.turnEnded();
    }

    private void error(int id, Status status, String message) {
        ByteBuf frame = Frames.error(this.ctx.alloc(), id, status, message);
        this.ctx.write(ReplyLimit.fit(this.ctx.alloc(), frame, id, this.peerSettings.maxFrameSize(), "the call"), this.ctx.voidPromise());
    }

    /**
     * Close with {@code goAway} as the last frame ({@link GracefulClose}); frames read before and
     * handed on after this are ignored. Event loop.
     */
    private void closeGracefully(ByteBuf goAway) {
        this.closing = true;
        GracefulClose.close(this.ctx.channel(), goAway);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        this.pipes.writabilityChanged();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable c = (cause instanceof DecoderException && cause.getCause() != null) ? cause.getCause() : cause;
        if (c instanceof Error) {
            this.runtime.fatal(c, ctx.channel());
        }
        else if (GracefulClose.isClosing(ctx.channel())) {
            return; // a GOAWAY is on its way already: never a second one
        }
        else if (c instanceof ProtocolException pe) {
            this.runtime.protocolErrors.record(pe.kind(), peer(), pe.getMessage());
            closeGracefully(Frames.goAway(ctx.alloc(), this.highestCallId, Status.PROTOCOL_ERROR, pe.getMessage()));
        }
        else if (c instanceof ConnectionTimeoutException te && te.kind() == ConnectionTimeoutException.Kind.KEEPALIVE) {
            ctx.close(); // the client is gone or paused: nobody would read a GOAWAY, so do not linger for it
        }
        else if (c instanceof ConnectionTimeoutException te) {
            closeGracefully(Frames.goAway(ctx.alloc(), this.highestCallId, Status.UNAVAILABLE, te.getMessage()));
        }
        else if (c instanceof ResourceLimitException re) {
            closeGracefully(Frames.goAway(ctx.alloc(), this.highestCallId, Status.RESOURCE_EXHAUSTED, re.getMessage()));
        }
        else {
            ctx.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        this.dispatch.discardWaiting();
        if (this.handshakeTimer != null) {
            this.handshakeTimer.cancel(false);
        }
        this.admission.stop();
        if (this.helloDone) {
            String peer = peer();
            this.runtime.observe(o -> o.onConnection(dev.asyncrpc.CallObserver.CallInfo.Side.SERVER, peer, false));
        }
        for (ServerCallContext call : this.calls.values()) {
            call.discard();
            if (call.deadlineTimer != null) {
                call.deadlineTimer.cancel(false);
            }
            runOffLoop(WorkerTask.of(call::disconnected));
            this.runtime.calls().callEnded();
        }
        this.calls.clear();
        this.pipes.closeAll("connection to the client lost");
        this.writes.discardAll();
        ctx.fireChannelInactive();
    }

    // ---- WriteQueue.Sink (event loop) ----

    @Override
    public void drain(Object item) {
        if (item instanceof PipeTable.Task task) {
            task.run();
            return;
        }
        ServerCallContext call = (ServerCallContext) item;
        if (call.pipes != null && call.pipes.holdReply(call.response, () -> drain(call))) {
            return; // out-pipe data goes first: written when every out-pipe's end has been
        }
        ByteBuf response = call.response;
        call.response = null;
        if (call.pipes != null) {
            this.pipes.replying(call.id, response);
        }
        if (call.deadlineTimer != null) {
            call.deadlineTimer.cancel(false);
        }
        if (this.calls.remove(call.id) == null) {
            response.release(); // the connection is gone: nobody to reply to
            return;
        }
        this.runtime.calls().callEnded();
        if (!this.ctx.channel().isActive()) {
            response.release();
            return;
        }
        this.ctx.write(ReplyLimit.fit(this.ctx.alloc(), response, call.id, this.peerSettings.maxFrameSize(), call.method.fullName), this.ctx.voidPromise());
    }

    @Override
    public void flush() {
        this.ctx.flush();
    }

    @Override
    public void discard(Object item) {
        if (item instanceof PipeTable.Task) {
            return;
        }
        ServerCallContext call = (ServerCallContext) item;
        ByteBuf response = call.response;
        call.response = null;
        if (response != null) {
            response.release();
        }
    }

    int activeCalls() {
        return this.calls.size();
    }

    /** Send GOAWAY: the client sends no new calls here (event loop). */
    void goAway(String message) {
        if (this.ctx.channel().isActive()) {
            this.ctx.writeAndFlush(Frames.goAway(this.ctx.alloc(), this.highestCallId, Status.UNAVAILABLE, message));
            String peer = peer();
            this.runtime.observe(o -> o.onGoAway(dev.asyncrpc.CallObserver.CallInfo.Side.SERVER, peer));
        }
    }
}
