package dev.asyncrpc.internal.transport;

import java.util.ArrayDeque;

import dev.asyncrpc.internal.protocol.Frame;
import dev.asyncrpc.internal.protocol.FrameType;
import dev.asyncrpc.internal.protocol.Frames;
import dev.asyncrpc.internal.protocol.ProtocolException;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Answers the peer's PINGs with bounded memory. PINGs are answered once per read batch, and only
 * while the channel is writable; of the PINGs waiting for an answer at most {@link #MAX_PENDING}
 * (the latest) are kept, older ones are dropped. A PING flood whose PONGs are never read therefore
 * holds at most {@code MAX_PENDING} opaque values and never grows the outbound buffer past its high
 * water mark by more than one batch of PONGs. Sits after the frame decoder; consumes PING frames.
 * Event loop only.
 */
public final class PingResponder extends ChannelInboundHandlerAdapter {

    /** PINGs remembered for an answer at most. */
    public static final int MAX_PENDING = 8;

    private final ArrayDeque<Long> pending = new ArrayDeque<>(MAX_PENDING);
    private long dropped;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof Frame frame) || frame.type() != FrameType.PING) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            if (frame.payload().readableBytes() != 8) {
                throw new ProtocolException("malformed-frame", "PING payload of " + frame.payload().readableBytes() + " bytes (expected: 8)");
            }
            if (this.pending.size() == MAX_PENDING) {
                this.pending.poll();
                this.dropped++;
            }
            this.pending.add(frame.payload().readLong());
        }
        finally {
            frame.release();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        answer(ctx);
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        answer(ctx);
        ctx.fireChannelWritabilityChanged();
    }

    private void answer(ChannelHandlerContext ctx) {
        if (this.pending.isEmpty() || !ctx.channel().isWritable()) {
            return;
        }
        Long opaque;
        while ((opaque = this.pending.poll()) != null) {
            ctx.write(Frames.ping(ctx.alloc(), FrameType.PONG, opaque), ctx.voidPromise());
        }
        ctx.flush();
    }

    /** PINGs left unanswered because newer ones came in while older were still waiting. */
    public long dropped() {
        return this.dropped;
    }
}
