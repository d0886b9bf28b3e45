package dev.asyncrpc.internal.server;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import dev.asyncrpc.Status;
import dev.asyncrpc.internal.pipe.PipeTable;
import dev.asyncrpc.internal.protocol.Frame;
import dev.asyncrpc.internal.protocol.FrameType;
import dev.asyncrpc.internal.protocol.Frames;
import dev.asyncrpc.internal.protocol.ProtocolException;
import dev.asyncrpc.internal.protocol.Settings;
import dev.asyncrpc.internal.transport.WriteQueue;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import dev.asyncrpc.internal.IntMap;

/**
 * The server end of one connection. On the event loop: the handshake, the call table and its limit,
 * CALL parsing up to the operation lookup. Argument decoding and invocation run on the worker
 * executor: plain implementations one call per task, asynchronous ones batched per read. Replies
 * come back from any thread through the {@link WriteQueue}.
 */
final class ServerConnection extends ChannelInboundHandlerAdapter implements WriteQueue.Sink {

    private final ServerRuntime runtime;
    private final Executor executor;
    private WriteQueue writes;
    private PipeTable pipes;
    private ChannelHandlerContext ctx;

    // event loop only
    private boolean helloDone;
    private final IntMap<ServerCallContext> calls = new IntMap<>();
    private List<ServerCallContext> batch = new ArrayList<>();
    private String lastName;
    private ServerMethod lastMethod;

    ServerConnection(ServerRuntime runtime) {
        this.runtime = runtime;
        this.executor = runtime.executor();
    }

    ByteBufAllocator alloc() {
        return this.ctx.alloc();
    }

    /** Queue a finished call's reply frame for writing. Any thread. */
    void reply(ServerCallContext call) {
        this.writes.enqueue(call);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.writes = new WriteQueue(ctx.channel().eventLoop(), this);
        this.pipes = new PipeTable(this.executor, this.runtime.pipes(), this.runtime.settings(), this.writes);
        this.pipes.context(ctx);
    }

    // ---- inbound (event loop) ----

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Frame frame = (Frame) msg;
        boolean owned = true;
        try {
            if (!this.helloDone && frame.type() != FrameType.HELLO) {
                throw new ProtocolException("expected HELLO, got " + frame.type());
            }
            switch (frame.type()) {
                case HELLO -> onHello(frame);
                case CALL -> owned = !onCall(frame);
                case CANCEL -> onCancelPipes(frame); // the call-control layer handles the call itself
                case PIPE_DATA, PIPE_END, CREDIT -> {
                    owned = false;
                    this.pipes.onFrame(frame);
                }
                case PING -> ctx.write(Frames.ping(ctx.alloc(), FrameType.PONG, frame.payload().readLong()), ctx.voidPromise());
                case PONG -> { }
                case GOAWAY -> ctx.close();
                default -> throw new ProtocolException("unexpected " + frame.type() + " frame from a client");
            }
        }
        finally {
            if (owned) {
                frame.release();
            }
        }
    }

    private void onHello(Frame frame) {
        if (this.helloDone) {
            throw new ProtocolException("second HELLO");
        }
        Frames.Hello hello = Frames.readHello(frame.payload());
        if (hello.version() < Frames.VERSION) {
            throw new ProtocolException("client speaks protocol version " + hello.version() + ", this server needs " + Frames.VERSION);
        }
        this.helloDone = true;
        this.pipes.peer(hello.settings());
        this.ctx.write(Frames.hello(this.ctx.alloc(), FrameType.HELLO_ACK, Frames.VERSION, this.runtime.settings()), this.ctx.voidPromise());
    }

    /** @return whether ownership of the frame's payload was taken */
    private boolean onCall(Frame frame) {
        int id = frame.callId();
        ByteBuf p = frame.payload();
        Settings limits = this.runtime.settings();
        if (id == 0 || this.calls.containsKey(id)) {
            throw new ProtocolException("CALL with " + (id == 0 ? "call id 0" : "call id " + id + " already in progress"));
        }
        int nameLength = p.readUnsignedShort();
        if (nameLength > p.readableBytes()) {
            throw new ProtocolException("CALL operation name length " + nameLength + " exceeds the frame");
        }
        String name = p.readCharSequence(nameLength, StandardCharsets.UTF_8).toString();
        int flags = frame.flags();
        if ((flags & Frames.CALL_DEADLINE) != 0) {
            p.skipBytes(4);
        }
        if ((flags & Frames.CALL_CAUSAL) != 0) {
            p.skipBytes(8);
        }
        if ((flags & Frames.CALL_METADATA) != 0) {
            int size = p.readUnsignedShort();
            if (size > limits.maxMetadataSize()) {
                error(id, Status.RESOURCE_EXHAUSTED, "call metadata of " + size + " bytes exceeds maxMetadataSize " + limits.maxMetadataSize());
                return false;
            }
            p.skipBytes(size);
        }
        if (this.calls.size() >= limits.maxConcurrentCalls()) {
            error(id, Status.RESOURCE_EXHAUSTED, "too many calls in progress on this connection (maxConcurrentCalls " + limits.maxConcurrentCalls() + ")");
            return false;
        }
        ServerMethod method;
        if (name.equals(this.lastName)) {
            method = this.lastMethod;
        }
        else {
            method = this.runtime.registry().find(name);
            if (method == null) {
                error(id, Status.UNIMPLEMENTED, this.runtime.registry().unknown(name));
                return false;
            }
            this.lastName = name;
            this.lastMethod = method;
        }
        if (this.runtime.isDraining()) {
            error(id, Status.UNAVAILABLE, "server is shutting down; the call was not dispatched");
            return false;
        }
        ServerCallContext call = new ServerCallContext(id, method, this, p);
        this.calls.put(id, call);
        attachPipes(call);
        if (method.isAsync()) {
            this.batch.add(call);
        }
        else {
            submit(call);
        }
        return true;
    }

    /** Make the implementer's pipe ends of a new call; pipe frames after the CALL find them (loop). */
    private void attachPipes(ServerCallContext call) {
        if (call.method.pipes != null) {
            call.pipes = call.method.pipes.newImplementer(this.executor, this.runtime.pipes());
            this.pipes.attach(call.id, call.pipes);
        }
    }

    /** An abortive CANCEL fails the call's pipes, so that the implementation stops pushing and pulling. */
    private void onCancelPipes(Frame frame) {
        if (frame.payload().isReadable() && frame.payload().getUnsignedByte(frame.payload().readerIndex()) == 0) {
            this.pipes.cancelled(frame.callId());
        }
    }

    private void submit(ServerCallContext call) {
        try {
            this.executor.execute(call);
        }
        catch (RejectedExecutionException ex) {
            call.discard();
            call.fail(Status.UNAVAILABLE, "server is not accepting work");
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (!this.batch.isEmpty()) {
            List<ServerCallContext> run = this.batch;
            this.batch = new ArrayList<>();
            if (run.size() == 1) {
                submit(run.get(0));
            }
            else {
                try {
                    this.executor.execute(() -> {
                        for (ServerCallContext call : run) {
                            call.run();
                        }
                    });
                }
                catch (RejectedExecutionException ex) {
                    for (ServerCallContext call : run) {
                        call.discard();
                        call.fail(Status.UNAVAILABLE, "server is not accepting work");
                    }
                }
            }
        }
        ctx.flush();
    }

    private void error(int id, Status status, String message) {
        this.ctx.write(Frames.error(this.ctx.alloc(), id, status, message), this.ctx.voidPromise());
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        this.pipes.writabilityChanged();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable c = (cause instanceof DecoderException && cause.getCause() != null) ? cause.getCause() : cause;
        if (c instanceof ProtocolException || c instanceof IndexOutOfBoundsException) {
            String message = (c instanceof ProtocolException) ? c.getMessage() : "malformed frame: " + c.getMessage();
            ctx.writeAndFlush(Frames.goAway(ctx.alloc(), 0, Status.PROTOCOL_ERROR, message)).addListener(ChannelFutureListener.CLOSE);
        }
        else {
            ctx.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        for (ServerCallContext call : this.batch) {
            call.discard();
        }
        this.batch.clear();
        for (ServerCallContext call : this.calls.values()) {
            call.discard();
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
        if (this.calls.remove(call.id) == null || !this.ctx.channel().isActive()) {
            response.release(); // the connection is gone: nobody to reply to
            return;
        }
        this.ctx.write(response, this.ctx.voidPromise());
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
}
