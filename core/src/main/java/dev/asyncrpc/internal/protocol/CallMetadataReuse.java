package dev.asyncrpc.internal.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;

/**
 * The sending side of metadata reuse on one connection (setting {@code METADATA_REUSE}, flag
 * {@link Frames#CALL_SAME_METADATA}): a CALL frame whose metadata block is byte for byte the block
 * of the previous CALL sent on the connection with one is sent without the block, flagged instead.
 * A caller that sends the same metadata on every call (a bearer token) thus sends it once per
 * connection.
 *
 * <p>"Previous" is the order on the wire: the connection gives every CALL frame to
 * {@link #apply} on its event loop just before it writes it, after any frame it decided not to
 * send. A block larger than the peer's {@code MAX_METADATA_SIZE} is refused by the peer, which
 * does not remember it: it is not remembered here either. Memory: one copy of the last block
 * (at most that limit). Not thread-safe.
 *
 * <p>The frame given is never changed (a retried call's frame is shared with its other attempts):
 * a rewritten frame is a new buffer holding the frame's start, followed by its arguments (copied
 * when small, else a slice of the given frame).
 */
public final class CallMetadataReuse {

    /** Arguments up to this size are copied into the rewritten frame rather than sliced. */
    static final int COPY_LIMIT = 1024;

    private final int peerMaxMetadataSize;

    /** The previous block (without its length), or {@code null} before the first. */
    private ByteBuf previous;

    /**
     * @param peerMaxMetadataSize the {@code MAX_METADATA_SIZE} the peer announced
     */
    public CallMetadataReuse(int peerMaxMetadataSize) {
        this.peerMaxMetadataSize = peerMaxMetadataSize;
    }

    /**
     * The frame to write for a CALL frame.
     * @param alloc the allocator of a rewritten frame
     * @param frame a whole CALL frame (from its reader index); ownership passes to this method
     * @return {@code frame} itself, or a new frame without the metadata block, flagged
     *         {@link Frames#CALL_SAME_METADATA} (then {@code frame} is released); owned by the caller
     */
    public ByteBuf apply(ByteBufAllocator alloc, ByteBuf frame) {
        int start = frame.readerIndex();
        int flags = frame.getUnsignedByte(start + Frames.LENGTH_FIELD + 1);
        if ((flags & Frames.CALL_METADATA) == 0) {
            return frame;
        }
        int at = start + Frames.HEADER;
        at += 2 + frame.getUnsignedShort(at);
        if ((flags & Frames.CALL_DEADLINE) != 0) {
            at += 4;
        }
        if ((flags & Frames.CALL_CAUSAL) != 0) {
            at += 4;
        }
        int size = frame.getUnsignedShort(at);
        int block = at + 2;
        if (this.previous != null && this.previous.readableBytes() == size && ByteBufUtil.equals(frame, block, this.previous, 0, size)) {
            return withoutBlock(alloc, frame, at - start, 2 + size, flags);
        }
        if (size <= this.peerMaxMetadataSize) {
            byte[] copy = new byte[size];
            frame.getBytes(block, copy);
            this.previous = Unpooled.wrappedBuffer(copy);
        }
        return frame;
    }

    /** The frame without the {@code cut} bytes of its block, which starts {@code head} bytes in. */
    private static ByteBuf withoutBlock(ByteBufAllocator alloc, ByteBuf frame, int head, int cut, int flags) {
        int start = frame.readerIndex();
        int tail = frame.readableBytes() - head - cut;
        ByteBuf out = alloc.ioBuffer(head + Math.min(tail, COPY_LIMIT));
        try {
            out.writeBytes(frame, start, head);
            out.setInt(0, frame.readableBytes() - cut - Frames.LENGTH_FIELD);
            out.setByte(Frames.LENGTH_FIELD + 1, (flags & ~Frames.CALL_METADATA) | Frames.CALL_SAME_METADATA);
            if (tail <= COPY_LIMIT) {
                out.writeBytes(frame, start + head + cut, tail);
                return out;
            }
            CompositeByteBuf both = alloc.compositeBuffer(2);
            both.addComponents(true, out, frame.retainedSlice(start + head + cut, tail));
            return both;
        }
        catch (RuntimeException ex) {
            out.release();
            throw ex;
        }
        finally {
            frame.release();
        }
    }
}
