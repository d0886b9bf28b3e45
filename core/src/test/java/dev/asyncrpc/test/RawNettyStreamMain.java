package dev.asyncrpc.test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.asyncrpc.internal.transport.Endpoint;
import dev.asyncrpc.internal.transport.Transports;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;

/**
 * A reference point for pipe throughput: the same bytes as a pipe transfer (64 KiB chunks copied
 * from a byte[] into a frame on the sender, copied out into a byte[] on the receiver) over plain
 * Netty, honouring channel writability. Not a test; run by hand.
 */
public final class RawNettyStreamMain {

    public static void main(String[] args) throws Exception {
        long bytes = (args.length > 0) ? Long.parseLong(args[0]) : 1L << 30;
        int chunk = (args.length > 1) ? Integer.parseInt(args[1]) : 64 * 1024;
        for (int r = 0; r < 3; r++) {
            System.out.printf("raw netty round %d: %.0f MiB/s%n", r, run(bytes, chunk));
        }
    }

    /**
     * One transfer of {@code bytes} in chunks over TCP loopback, on the transport asyncrpc uses
     * (epoll when available); both ends on one two-thread event loop group.
     * @return MiB/s
     */
    public static double run(long bytes, int chunk) throws Exception {
        Transports transports = new Transports("raw-netty", 2);
        EventLoopGroup group = transports.group(Endpoint.Kind.TCP);
        try {
            CountDownLatch done = new CountDownLatch(1);
            long[] received = new long[1];
            Channel server = new ServerBootstrap().group(group).channel(transports.serverChannelType(Endpoint.Kind.TCP))
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(1 << 24, 0, 4, 0, 4), new ChannelInboundHandlerAdapter() {
                                @Override
                                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                    ByteBuf b = (ByteBuf) msg;
                                    byte[] copy = new byte[b.readableBytes()];
                                    b.readBytes(copy);
                                    b.release();
                                    received[0] += copy.length;
                                    if (received[0] >= bytes) {
                                        done.countDown();
                                    }
                                }
                            });
                        }
                    }).bind("127.0.0.1", 0).sync().channel();
            Channel client = new Bootstrap().group(group).channel(transports.channelType(Endpoint.Kind.TCP)).option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInboundHandlerAdapter()).connect(server.localAddress()).sync().channel();
            byte[] data = new byte[chunk];
            long t0 = System.nanoTime();
            Sender sender = new Sender(client, bytes, data);
            client.eventLoop().execute(sender);
            done.await(5, TimeUnit.MINUTES);
            long t1 = System.nanoTime();
            client.close().sync();
            server.close().sync();
            return bytes / 1048576.0 / ((t1 - t0) / 1e9);
        }
        finally {
            transports.close();
        }
    }

    private static final class Sender implements Runnable {
        private final Channel ch;
        private final long bytes;
        private final byte[] data;
        private long sent;

        Sender(Channel ch, long bytes, byte[] data) {
            this.ch = ch;
            this.bytes = bytes;
            this.data = data;
            ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                @Override
                public void channelWritabilityChanged(ChannelHandlerContext ctx) {
                    if (ctx.channel().isWritable()) {
                        run();
                    }
                }
            });
        }

        @Override
        public void run() {
            while (this.sent < this.bytes && this.ch.isWritable()) {
                ByteBuf b = this.ch.alloc().ioBuffer(4 + this.data.length);
                b.writeInt(this.data.length).writeBytes(this.data);
                this.ch.write(b, this.ch.voidPromise());
                this.sent += this.data.length;
            }
            this.ch.flush();
        }
    }
}
