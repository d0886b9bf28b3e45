package dev.asyncrpc.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;

/**
 * Joins the small frames written between two flushes into one buffer. Without it, each reply of a
 * batch of 256 small calls is its own entry of the channel's outbound buffer and its own iovec of
 * the {@code writev}, and removing the entries after the write cost about a tenth of an event
 * loop's time in a profile of small calls; with it, a batch costs one entry per
 * {@value #BATCH_CAPACITY} bytes. Under TLS it also means one record per batch instead of one per
 * frame.
 *
 * <ul>
 * <li>A {@link ByteBuf} of at most {@value #MAX_JOINED_FRAME} bytes written with the void promise
 * is held. The first one is held as it is; from the second one on, they are copied into a joined
 * buffer and released, so that a lone frame (one call at a time) costs no copy.</li>
 * <li>Anything else (a larger frame, a write with a promise of its own, a message that is not a
 * buffer) first writes out what is held, then goes on as it is: the order of the bytes on the
 * wire is always the order of the writes.</li>
 * <li>A flush, a close and a disconnect write out what is held first.</li>
 * </ul>
 *
 * <p>At most {@value #BATCH_CAPACITY} bytes are held at a time: a full joined buffer is written
 * and flushed at once, and a new one started. Flushing it then lets the peer start on the first
 * part of a large batch (256 replies of small calls are about 20 KiB) while this side produces the
 * rest: without it, both event loops took turns on whole batches, each idle while the other
 * worked, and a W=256 echo ran about 20% slower on two cores. It sits between the outbound limit
 * and the frame handlers, so that every frame a connection writes passes through it. Event loop
 * only.
 */
public final class WriteCoalescer extends ChannelOutboundHandlerAdapter {

    /** Frames up to this many bytes are joined; copying a larger one would cost more than its entry. */
    static final int MAX_JOINED_FRAME = 1024;

    /** The capacity of a joined buffer: about 100 small replies or calls, written and flushed once full. */
    static final int BATCH_CAPACITY = 8 * 1024;

    /** The first small frame since the last write-out, held as it is; {@code null} once joined. */
    private ByteBuf single;

    /** The joined frames, or {@code null}. */
    private ByteBuf joined;

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf buf && promise.isVoid() && buf.readableBytes() <= MAX_JOINED_FRAME) {
            hold(ctx, buf);
            return;
        }
        writeOut(ctx);
        ctx.write(msg, promise);
    }

    private void hold(ChannelHandlerContext ctx, ByteBuf frame) {
        try {
            if (this.joined == null) {
                if (this.single == null) {
                    this.single = frame;
                    frame = null;
                    return;
                }
                ByteBuf fresh = ctx.alloc().ioBuffer(BATCH_CAPACITY, BATCH_CAPACITY);
                ByteBuf first = this.single;
                this.single = null;
                this.joined = fresh;
                try {
                    this.joined.writeBytes(first);
                }
                finally {
                    first.release();
                }
            }
            if (this.joined.writableBytes() < frame.readableBytes()) {
                ctx.writeAndFlush(this.joined, ctx.voidPromise());
                this.joined = ctx.alloc().ioBuffer(BATCH_CAPACITY, BATCH_CAPACITY);
            }
            this.joined.writeBytes(frame);
        }
        finally {
            if (frame != null) {
                frame.release();
            }
        }
    }

    /** Write what is held (not flushed). */
    private void writeOut(ChannelHandlerContext ctx) {
        if (this.single != null) {
            ByteBuf b = this.single;
            this.single = null;
            ctx.write(b, ctx.voidPromise());
        }
        else if (this.joined != null) {
            ByteBuf b = this.joined;
            this.joined = null;
            ctx.write(b, ctx.voidPromise());
        }
    }

    /** How many bytes are held now (for tests). */
    int heldBytes() {
        return (this.single != null) ? this.single.readableBytes() : (this.joined != null) ? this.joined.readableBytes() : 0;
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        writeOut(ctx);
        ctx.flush();
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        writeOut(ctx);
        ctx.close(promise);
    }

    @Override
    public void disconnect(ChannelHandlerContext ctx, ChannelPromise promise) {
        writeOut(ctx);
        ctx.disconnect(promise);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (this.single != null) {
            this.single.release();
            this.single = null;
        }
        if (this.joined != null) {
            this.joined.release();
            this.joined = null;
        }
    }
}
