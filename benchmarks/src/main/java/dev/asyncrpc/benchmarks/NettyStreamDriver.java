package dev.asyncrpc.benchmarks;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
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
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The floor for streaming: a length-prefixed stream on the same Netty and transport as asyncrpc
 * (adapted from core's {@code RawNettyStreamMain}). The sender runs on the client's event loop and
 * writes while the channel is writable (Netty's default water marks, 32-64 KiB), resuming on
 * {@code channelWritabilityChanged}; each frame is one buffer, the chunk copied from a {@code byte[]}
 * after its 4-byte length. The receiver decodes with {@code LengthFieldBasedFrameDecoder} and copies
 * each frame into a new {@code byte[]} (as a pipe delivers {@code byte[]} chunks). An empty frame
 * ends a transfer; the server answers it with the byte count. One event loop thread per side.
 */
final class NettyStreamDriver implements StreamDriver {

    private static final int MAX_FRAME = 1 << 24;

    private EventLoopGroup serverGroup;
    private EventLoopGroup clientGroup;
    private Channel serverChannel;
    private Channel channel;
    private volatile CompletableFuture<Long> result;

    @Override
    public String name() {
        return "netty";
    }

    @Override
    public String description() {
        return "raw Netty " + io.netty.util.Version.identify().getOrDefault("netty-transport", null).artifactVersion()
                + " (" + (NettyDriver.epoll() ? "epoll" : "nio") + "), length-prefixed frames, sender on the event loop honouring"
                + " isWritable()/channelWritabilityChanged, receiver copies each frame into a byte[]";
    }

    @Override
    public void start() throws InterruptedException {
        boolean epoll = NettyDriver.epoll();
        IoHandlerFactory factory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> serverType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        Class<? extends Channel> clientType = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
        this.serverGroup = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("netty-stream-server-io", true), factory);
        this.clientGroup = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("netty-stream-client-io", true), factory);
        this.serverChannel = new ServerBootstrap().group(this.serverGroup).channel(serverType)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(MAX_FRAME, 0, 4, 0, 4), new Receiver());
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        this.channel = new Bootstrap().group(this.clientGroup).channel(clientType)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(MAX_FRAME, 0, 4, 0, 4), new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                ByteBuf b = (ByteBuf) msg;
                                long count = b.readLong();
                                b.release();
                                result.complete(count);
                            }

                            @Override
                            public void channelInactive(ChannelHandlerContext ctx) {
                                CompletableFuture<Long> r = result;
                                if (r != null) {
                                    r.completeExceptionally(new IllegalStateException("connection closed"));
                                }
                            }
                        });
                    }
                })
                .connect(this.serverChannel.localAddress()).sync().channel();
    }

    /** Server: counts the bytes of each frame (copied into a byte[]); an empty frame ends a transfer. */
    private static final class Receiver extends ChannelInboundHandlerAdapter {

        private long bytes;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf b = (ByteBuf) msg;
            int n = b.readableBytes();
            if (n == 0) {
                b.release();
                ctx.writeAndFlush(ctx.alloc().buffer(12).writeInt(8).writeLong(this.bytes), ctx.voidPromise());
                this.bytes = 0;
                return;
            }
            byte[] copy = new byte[n];
            b.readBytes(copy);
            b.release();
            this.bytes += copy.length;
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    @Override
    public long transfer(byte[] data, long bytes, long timeoutNanos) throws Exception {
        CompletableFuture<Long> r = new CompletableFuture<>();
        this.result = r;
        Sender sender = new Sender(this.channel, data, bytes);
        this.channel.pipeline().addLast(sender);
        try {
            this.channel.eventLoop().execute(sender);
            return r.get(timeoutNanos, TimeUnit.NANOSECONDS);
        }
        finally {
            this.channel.eventLoop().submit(() -> this.channel.pipeline().remove(sender)).sync();
        }
    }

    /** Writes frames on the event loop while the channel is writable; resumes when it is again. */
    private static final class Sender extends ChannelInboundHandlerAdapter implements Runnable {

        private final Channel ch;
        private final byte[] data;
        private final long bytes;
        private long sent;
        private boolean ended;

        Sender(Channel ch, byte[] data, long bytes) {
            this.ch = ch;
            this.data = data;
            this.bytes = bytes;
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable()) {
                run();
            }
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void run() {
            while (!this.ended && this.ch.isWritable()) {
                int n = (int) Math.min(this.data.length, this.bytes - this.sent);
                ByteBuf b = this.ch.alloc().ioBuffer(4 + n);
                b.writeInt(n).writeBytes(this.data, 0, n);
                this.ch.write(b, this.ch.voidPromise());
                this.sent += n;
                if (n == 0) {
                    this.ended = true;
                }
            }
            this.ch.flush();
        }
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
}
