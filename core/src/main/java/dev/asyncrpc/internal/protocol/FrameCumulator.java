package dev.asyncrpc.internal.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.ByteToMessageDecoder;

/**
 * How {@link FrameDecoder} joins the bytes of a read to those it already holds. A large frame
 * arrives over several reads; copying each read into one growing buffer (Netty's merge cumulator)
 * copies the frame once or twice more on the event loop, and again whenever the buffer is shared
 * with the retained payloads of earlier frames (then the held bytes are copied to a new buffer on
 * every read). So while the frame the decoder waits for is large (at least {@link #LARGE} bytes,
 * its length read from its header), the read buffers are joined without a copy into a composite
 * buffer (Netty's composite cumulator): the frame's payload is a slice over the read buffers
 * themselves, and its receiver copies the bytes once, where it decodes them. Small frames, and a
 * header not complete yet, use the merge cumulator: their payloads stay contiguous, which is what
 * their decoders read fastest, and the bytes copied are at most a small frame plus one read.
 *
 * <p>Stateless; event loop.
 */
final class FrameCumulator implements ByteToMessageDecoder.Cumulator {

    /** The smallest frame (length field included) whose reads are joined without a copy. */
    static final int LARGE = 16 * 1024;

    static final FrameCumulator INSTANCE = new FrameCumulator();

    private FrameCumulator() {
    }

    @Override
    public ByteBuf cumulate(ByteBufAllocator alloc, ByteBuf cumulation, ByteBuf in) {
        if (in.isReadable() && waitsForLargeFrame(cumulation)) {
            return ByteToMessageDecoder.COMPOSITE_CUMULATOR.cumulate(alloc, cumulation, in);
        }
        return ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(alloc, cumulation, in);
    }

    /** Whether {@code cumulation} begins with the complete length field of a frame of at least {@link #LARGE} bytes. */
    static boolean waitsForLargeFrame(ByteBuf cumulation) {
        return cumulation.readableBytes() >= Frames.LENGTH_FIELD
                && Frames.LENGTH_FIELD + cumulation.getUnsignedInt(cumulation.readerIndex()) >= LARGE;
    }
}
