package dev.asyncrpc.internal.transport;

import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;

/**
 * Closes a connection so that a last frame (a GOAWAY) reaches the peer: from now on everything the
 * peer sends is read and discarded (no handler sees it, and no unread input makes the kernel answer
 * with a TCP reset that would overtake the GOAWAY); the frame is written and flushed; once it is
 * written the output is shut down (the peer reads the frame, then end of stream), and the channel
 * is closed when the peer closes its side or after {@link #LINGER_MILLIS}, whichever comes first.
 */
public final class GracefulClose {

    /** The longest time a closing connection waits for its last frame to be written and the peer to close. */
    public static final long LINGER_MILLIS = 2000;

    private static final String NAME = "asyncrpc-discard";

    private GracefulClose() {
    }

    /** Whether {@code channel} is already being closed by this class. Event loop. */
    public static boolean isClosing(Channel channel) {
        return channel.pipeline().get(NAME) != null;
    }

    /**
     * Write {@code lastFrame}, then close as described above. Ownership of the frame passes here (it
     * is released if the channel is closing or closed already). Event loop.
     */
    public static void close(Channel channel, ByteBuf lastFrame) {
        if (!channel.isActive() || isClosing(channel)) {
            ReferenceCountUtil.release(lastFrame);
            channel.close();
            return;
        }
        channel.pipeline().addFirst(NAME, new Discard());
        channel.eventLoop().schedule(() -> {
            channel.close();
        }, LINGER_MILLIS, TimeUnit.MILLISECONDS);
        channel.writeAndFlush(lastFrame).addListener((ChannelFutureListener) f -> {
            if (f.isSuccess() && channel instanceof DuplexChannel duplex && !duplex.isOutputShutdown()) {
                duplex.shutdownOutput();
            }
            else if (!(channel instanceof DuplexChannel) || !f.isSuccess()) {
                channel.close();
            }
        });
    }

    /** Reads and drops everything, so the peer's last bytes never cause a reset. */
    private static final class Discard extends ChannelInboundHandlerAdapter {

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            ctx.read(); // straight to the transport: a paused ReadGate further in does not hold this back
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (!ctx.channel().config().isAutoRead()) {
                ctx.read();
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof io.netty.channel.socket.ChannelInputShutdownEvent) {
                ctx.close(); // the peer has read our last frame and closed
            }
            ReferenceCountUtil.release(evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // nothing more to say to this peer
        }
    }
}
