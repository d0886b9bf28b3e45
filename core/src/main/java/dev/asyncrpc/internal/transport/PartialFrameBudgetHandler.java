package dev.asyncrpc.internal.transport;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import dev.asyncrpc.internal.MemoryBudget;
import dev.asyncrpc.internal.protocol.FrameDecoder;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Charges the incomplete frame the {@link FrameDecoder} before it accumulates to the server's
 * {@link MemoryBudget}: its full announced length, from the read in which it started until it is
 * complete. Frames up to {@link #EXEMPT_BYTES} are not charged (their memory is bounded by the
 * connection cap). Large frames may use the budget only as long as a quarter of it stays free for
 * call arguments, so a fresh client's small call is still taken. When the charge does not fit,
 * reading from this connection pauses (through the {@link ReadGate}) and the charge is retried
 * every {@link #RETRY_MILLIS} ms; the frame read timeout keeps running meanwhile. A frame that could
 * never fit (above three quarters of the budget) raises a {@link ResourceLimitException}. Event loop only.
 */
public final class PartialFrameBudgetHandler extends ChannelInboundHandlerAdapter {

    /** Incomplete frames up to this length are not charged. */
    public static final long EXEMPT_BYTES = 64 * 1024;

    static final long RETRY_MILLIS = 20;

    private final MemoryBudget budget;
    private FrameDecoder decoder;
    private long reserved;
    private long reservedFrames = -1;
    private ScheduledFuture<?> retry;

    public PartialFrameBudgetHandler(MemoryBudget budget) {
        this.budget = budget;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.decoder = ctx.pipeline().get(FrameDecoder.class);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        update(ctx);
        ctx.fireChannelReadComplete();
    }

    private void update(ChannelHandlerContext ctx) {
        long partial = this.decoder.isFailed() ? 0 : this.decoder.partialFrameLength();
        if (this.reserved != 0 && partial != 0 && this.decoder.framesDecoded() == this.reservedFrames) {
            return; // the same frame, already charged
        }
        releaseReserved();
        if (partial <= EXEMPT_BYTES) {
            resume(ctx);
            return;
        }
        long keepFree = this.budget.limit() / 4;
        if (partial > this.budget.limit() - keepFree) {
            ctx.fireExceptionCaught(new ResourceLimitException("a frame of " + partial + " bytes is larger than the server's memory budget lets one frame take ("
                    + (this.budget.limit() - keepFree) + " bytes)"));
            return;
        }
        if (this.budget.tryReserve(partial, keepFree)) {
            this.reserved = partial;
            this.reservedFrames = this.decoder.framesDecoded();
            resume(ctx);
        }
        else {
            ReadGate gate = ReadGate.of(ctx.channel());
            if (gate != null) {
                gate.pause(ReadGate.MEMORY);
            }
            if (this.retry == null) {
                this.retry = ctx.executor().schedule(() -> {
                    this.retry = null;
                    if (ctx.channel().isActive()) {
                        update(ctx);
                    }
                }, RETRY_MILLIS, TimeUnit.MILLISECONDS);
            }
        }
    }

    private void resume(ChannelHandlerContext ctx) {
        ReadGate gate = ReadGate.of(ctx.channel());
        if (gate != null && gate.isPaused(ReadGate.MEMORY)) {
            gate.resume(ReadGate.MEMORY);
        }
    }

    private void releaseReserved() {
        this.budget.release(this.reserved);
        this.reserved = 0;
        this.reservedFrames = -1;
    }

    /** Bytes this connection holds reserved now. */
    public long reserved() {
        return this.reserved;
    }

    private void stop() {
        releaseReserved();
        if (this.retry != null) {
            this.retry.cancel(false);
            this.retry = null;
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
