package dev.asyncrpc.internal.transport;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;

/**
 * Bounds the outbound data of one connection. Sets the channel's write buffer water marks; when the
 * queued outbound bytes pass the high mark (the channel turns unwritable) it pauses reading through
 * the {@link ReadGate}, so a peer that does not read cannot make us take more work from it, and
 * resumes once the bytes fall below the low mark. A peer that stays unwritable longer than the
 * stall timeout is closed by raising a {@link ConnectionTimeoutException}. Event loop only.
 */
public final class OutboundLimitHandler extends ChannelInboundHandlerAdapter {

    private final int low;
    private final int high;
    private final long stallNanos;
    private ScheduledFuture<?> stallTimer;

    /**
     * @param low the low water mark in bytes
     * @param high the high water mark in bytes
     * @param stallTimeout how long the channel may stay unwritable; zero for no limit
     */
    public OutboundLimitHandler(int low, int high, Duration stallTimeout) {
        this.low = low;
        this.high = high;
        this.stallNanos = stallTimeout.toNanos();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        ctx.channel().config().setWriteBufferWaterMark(new WriteBufferWaterMark(this.low, this.high));
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        ReadGate gate = ReadGate.of(ctx.channel());
        if (!ctx.channel().isWritable()) {
            if (gate != null) {
                gate.pause(ReadGate.OUTBOUND);
            }
            if (this.stallNanos > 0 && this.stallTimer == null) {
                this.stallTimer = ctx.executor().schedule(() -> stalled(ctx), this.stallNanos, TimeUnit.NANOSECONDS);
            }
        }
        else {
            if (gate != null) {
                gate.resume(ReadGate.OUTBOUND);
            }
            cancelTimer();
        }
        ctx.fireChannelWritabilityChanged();
    }

    private void stalled(ChannelHandlerContext ctx) {
        this.stallTimer = null;
        if (ctx.channel().isActive() && !ctx.channel().isWritable()) {
            ctx.fireExceptionCaught(new ConnectionTimeoutException(ConnectionTimeoutException.Kind.WRITE_STALL,
                    "the peer did not read the data queued for it (over the write high water mark of " + this.high
                            + " bytes) within the write stall timeout of " + Duration.ofNanos(this.stallNanos).toMillis() + " ms"));
        }
    }

    private void cancelTimer() {
        if (this.stallTimer != null) {
            this.stallTimer.cancel(false);
            this.stallTimer = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelTimer();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancelTimer();
    }
}
