package dev.asyncrpc.internal.transport;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import dev.asyncrpc.internal.protocol.FrameDecoder;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Bounds how long the {@link FrameDecoder} before it may hold an incomplete frame: once a frame has
 * started to arrive, it must be complete within {@code timeout}, or a
 * {@link ConnectionTimeoutException} of kind {@code FRAME_READ} is raised; the connection then
 * closes and the decoder releases the bytes it held. A peer that stops in the middle of a large
 * frame thus pins its memory for at most the timeout. Sits right after the decoder; checks after
 * each read batch. Event loop only.
 */
public final class FrameReadTimeoutHandler extends ChannelInboundHandlerAdapter {

    private final long timeoutNanos;
    private FrameDecoder decoder;
    private long framesAtStart = -1;
    private ScheduledFuture<?> timer;

    public FrameReadTimeoutHandler(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.decoder = ctx.pipeline().get(FrameDecoder.class);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        long partial = this.decoder.partialFrameLength();
        if (partial == 0 || this.decoder.isFailed()) {
            stop();
        }
        else if (this.timer == null || this.decoder.framesDecoded() != this.framesAtStart) {
            stop(); // a new incomplete frame: its own time starts now
            this.framesAtStart = this.decoder.framesDecoded();
            this.timer = ctx.executor().schedule(() -> expired(ctx), this.timeoutNanos, TimeUnit.NANOSECONDS);
        }
        ctx.fireChannelReadComplete();
    }

    private void expired(ChannelHandlerContext ctx) {
        this.timer = null;
        if (ctx.channel().isActive() && this.decoder.partialFrameLength() != 0 && this.decoder.framesDecoded() == this.framesAtStart) {
            ctx.fireExceptionCaught(new ConnectionTimeoutException(ConnectionTimeoutException.Kind.FRAME_READ,
                    "a frame of " + this.decoder.partialFrameLength() + " bytes did not arrive completely within the frame read timeout of "
                            + Duration.ofNanos(this.timeoutNanos).toMillis() + " ms"));
        }
    }

    private void stop() {
        if (this.timer != null) {
            this.timer.cancel(false);
            this.timer = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        stop();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        stop();
    }
}
