package dev.asyncrpc.internal.protocol;

import java.nio.ByteBuffer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;

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
 * <p>A frame held only by the caller ({@code refCnt() == 1}) is rewritten in place: its start (up
 * to the block) is moved over the block. A frame held elsewhere too (a retried call's frame is
 * shared with its other attempts) is never changed: the rewritten frame is a new buffer holding the
 * frame's start, followed by its arguments (copied when small, else a slice of the given frame).
 */
public final class CallMetadataReuse {

    /** Arguments up to this size are copied into the rewritten frame rather than sliced. */
    static final int COPY_LIMIT = 1024;

    private final int peerMaxMetadataSize;

    /** The previous block (without its length, position 0, never moved), or {@code null} before the first. */
    private ByteBuffer previous;

    /** Holds the start of a frame while it is moved over the block (grown to the longest). */
    private byte[] scratch = new byte[64];

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
     * @return {@code frame} as it was, or without the metadata block and flagged
     *         {@link Frames#CALL_SAME_METADATA}: {@code frame} itself rewritten if only the caller
     *         held it, else a new frame (then {@code frame} is released); owned by the caller
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
        if (this.previous != null && this.previous.remaining() == size && sameAsPrevious(frame, block, size)) {
            // a frame nobody else holds (a retried call's frame is shared with its other attempts) is rewritten in place
            return (frame.refCnt() == 1) ? cutInPlace(frame, at - start, 2 + size, flags) : withoutBlock(alloc, frame, at - start, 2 + size, flags);
        }
        if (size <= this.peerMaxMetadataSize) {
            byte[] copy = new byte[size];
            frame.getBytes(block, copy);
            this.previous = ByteBuffer.wrap(copy);
        }
        return frame;
    }

    /** Whether the {@code size} bytes at {@code block} are those of the previous block (a vectorized comparison). */
    private boolean sameAsPrevious(ByteBuf frame, int block, int size) {
        ByteBuffer bytes;
        if (frame.nioBufferCount() == 1) {
            bytes = frame.internalNioBuffer(block, size);
        }
        else {
            byte[] copy = new byte[size];
            frame.getBytes(block, copy);
            bytes = ByteBuffer.wrap(copy);
        }
        return bytes.mismatch(this.previous) < 0;
    }

    /** {@code frame} without the {@code cut} bytes of its block, which starts {@code head} bytes in: its start moved over the block. */
    private ByteBuf cutInPlace(ByteBuf frame, int head, int cut, int flags) {
        int start = frame.readerIndex();
        if (this.scratch.length < head) {
            this.scratch = new byte[head];
        }
        frame.getBytes(start, this.scratch, 0, head);
        frame.setBytes(start + cut, this.scratch, 0, head);
        frame.readerIndex(start + cut);
        frame.setInt(start + cut, frame.readableBytes() - Frames.LENGTH_FIELD);
        frame.setByte(start + cut + Frames.LENGTH_FIELD + 1, (flags & ~Frames.CALL_METADATA) | Frames.CALL_SAME_METADATA);
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
