package dev.asyncrpc.benchmarks;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The floor under every RPC system here: a length-prefixed echo on the same Netty as asyncrpc (and
 * the same transport: epoll unless {@code -Dasyncrpc.epoll.disabled=true}, as asyncrpc decides).
 * The client pipelines requests on one connection and matches replies in FIFO order. Requests go
 * from the issuing thread to the event loop through a queue drained by one task with one flush per
 * batch (as asyncrpc's WriteQueue does); the server writes each frame back as it is read and
 * flushes once per read. Callbacks run on the client's event loop. Two framings:
 * <ul>
 * <li>{@code netty}: {@code LengthFieldBasedFrameDecoder} + {@code LengthFieldPrepender} on both
 * sides (the prepender writes a separate 4-byte buffer per message);</li>
 * <li>{@code netty-min}: one buffer per frame: the client writes the length itself, the server
 * echoes each frame, length field included, exactly as the decoder sliced it.</li>
 * </ul>
 */
final class NettyDriver implements Driver {

    private static final int MAX_FRAME = 1 << 20;

    private final boolean minimal;
    private EventLoopGroup serverGroup;
    private EventLoopGroup clientGroup;
    private Channel serverChannel;
    private Channel channel;
    private ClientHandler client;

    /** @param minimal one buffer per frame instead of decoder + prepender */
    NettyDriver(boolean minimal) {
        this.minimal = minimal;
    }

    static boolean epoll() {
        return Epoll.isAvailable() && !Boolean.getBoolean("asyncrpc.epoll.disabled");
    }

    @Override
    public String name() {
        return this.minimal ? "netty-min" : "netty";
    }

    @Override
    public String description() {
        return "raw Netty " + io.netty.util.Version.identify().getOrDefault("netty-transport", null).artifactVersion()
                + " (" + (epoll() ? "epoll" : "nio") + "), length-prefixed echo, "
                + (this.minimal ? "one buffer per frame (no prepender)" : "LengthFieldBasedFrameDecoder + LengthFieldPrepender")
                + ", batched flushes, FIFO matching, callbacks on the event loop";
    }

    @Override
    public void start() throws InterruptedException {
        IoHandlerFactory factory = epoll() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> serverType = epoll() ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        Class<? extends Channel> clientType = epoll() ? EpollSocketChannel.class : NioSocketChannel.class;
        String prefix = name();
        this.serverGroup = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory(prefix + "-server-io", true), factory);
        this.clientGroup = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory(prefix + "-client-io", true), factory);
        boolean min = this.minimal;
        this.serverChannel = new ServerBootstrap().group(this.serverGroup).channel(serverType)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (min) {
                            ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(MAX_FRAME, 0, 4, 0, 0), new EchoHandler());
                        }
                        else {
                            ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(MAX_FRAME, 0, 4, 0, 4),
                                    new LengthFieldPrepender(4), new EchoHandler());
                        }
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        ClientHandler handler = new ClientHandler(min);
        this.client = handler;
        this.channel = new Bootstrap().group(this.clientGroup).channel(clientType)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(MAX_FRAME, 0, 4, 0, 4));
                        if (!min) {
                            ch.pipeline().addLast(new LengthFieldPrepender(4));
                        }
                        ch.pipeline().addLast(handler);
                    }
                })
                .connect(this.serverChannel.localAddress()).sync().channel();
    }

    @Override
    public void call(byte[] payload, Callback callback) {
        this.client.send(payload, callback);
    }

    @Override
    public void close() {
        if (this.channel != null) {
            this.channel.close().syncUninterruptibly();
        }
        if (this.serverChannel != null) {
            this.serverChannel.close().syncUninterruptibly();
        }
        if (this.clientGroup != null) {
            this.clientGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
        if (this.serverGroup != null) {
            this.serverGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** Server: write back each frame (the decoder's retained slice, no copy); flush once per read. */
    private static final class EchoHandler extends ChannelInboundHandlerAdapter {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg, ctx.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    private record Request(byte[] payload, Callback callback) {
    }

    /** Client: a multi-producer queue drained on the loop; pending callbacks in FIFO order (loop only). */
    private static final class ClientHandler extends ChannelInboundHandlerAdapter implements Runnable {

        private final Queue<Request> queue = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean scheduled = new AtomicBoolean();
        private final ArrayDeque<Callback> pending = new ArrayDeque<>();
        private final boolean writeLength;
        private ChannelHandlerContext ctx;

        /** @param writeLength whether to write the length field here (no prepender in the pipeline) */
        ClientHandler(boolean writeLength) {
            this.writeLength = writeLength;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            this.ctx = ctx;
        }

        /** Any thread. */
        void send(byte[] payload, Callback callback) {
            this.queue.add(new Request(payload, callback));
            if (this.scheduled.compareAndSet(false, true)) {
                this.ctx.executor().execute(this);
            }
        }

        /** The drain task, on the loop: drain, flush once, then re-check (as asyncrpc's WriteQueue). */
        @Override
        public void run() {
            Request r;
            try {
                while ((r = this.queue.poll()) != null) {
                    this.pending.add(r.callback());
                    byte[] p = r.payload();
                    ByteBuf buf = this.ctx.alloc().ioBuffer((this.writeLength ? 4 : 0) + p.length);
                    if (this.writeLength) {
                        buf.writeInt(p.length);
                    }
                    this.ctx.write(buf.writeBytes(p), this.ctx.voidPromise());
                }
            }
            finally {
                this.ctx.flush();
                this.scheduled.set(false);
            }
            if (!this.queue.isEmpty() && this.scheduled.compareAndSet(false, true)) {
                this.ctx.executor().execute(this);
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf frame = (ByteBuf) msg;
            byte[] reply;
            try {
                reply = ByteBufUtil.getBytes(frame);
            }
            finally {
                frame.release();
            }
            Callback cb = this.pending.poll();
            if (cb != null) {
                cb.done(reply, null);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            Callback cb;
            while ((cb = this.pending.poll()) != null) {
                cb.done(null, new IllegalStateException("connection closed"));
            }
            Request r;
            while ((r = this.queue.poll()) != null) {
                r.callback().done(null, new IllegalStateException("connection closed"));
            }
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
