package dev.asyncrpc.internal.protocol;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

/**
 * Splits the byte stream into {@link Frame}s. Bounded: a length above {@code maxFrameSize} or below
 * the header size, or an unknown type code, raises {@link ProtocolException} before any payload is
 * buffered. Each frame's payload is a retained slice of the cumulation (no copy); the frame's
 * receiver owns (and releases) it.
 * <p>
 * After its first error the decoder is terminal: it discards everything that arrives afterwards and
 * never raises a second error, so at most one GOAWAY follows. It also tells the handlers after it
 * about the incomplete frame it holds ({@link #partialFrameLength()}, {@link #framesDecoded()}) so
 * that they can time it out and charge it to a memory budget. Event loop only.
 */
public final class FrameDecoder extends ByteToMessageDecoder {

    private final int maxFrameSize;
    private boolean failed;
    private long framesDecoded;
    private long partialFrameLength;

    /**
     * @param maxFrameSize the largest frame this side accepts (the length field value, header
     *        included), as announced in its handshake
     */
    public FrameDecoder(int maxFrameSize) {
        this.maxFrameSize = maxFrameSize;
    }

    /** Whether a protocol error was found; everything read since is discarded. */
    public boolean isFailed() {
        return this.failed;
    }

    /** Frames decoded so far: a changed value means the incomplete frame seen before has completed. */
    public long framesDecoded() {
        return this.framesDecoded;
    }

    /**
     * The length (length field included) of the frame whose bytes have started to arrive but which
     * is not complete yet, or 0 if the decoder holds no incomplete frame (a few bytes of a length
     * field count, with the length field's size).
     */
    public long partialFrameLength() {
        return this.partialFrameLength;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (this.failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        try {
            decodeFrames(in, out);
        }
        catch (ProtocolException ex) {
            this.failed = true;
            this.partialFrameLength = 0;
            in.skipBytes(in.readableBytes());
            throw ex;
        }
    }

    private void decodeFrames(ByteBuf in, List<Object> out) {
        while (in.readableBytes() >= Frames.LENGTH_FIELD) {
            int start = in.readerIndex();
            long length = in.getUnsignedInt(start);
            if (length < Frames.HEADER_AFTER_LENGTH) {
                throw new ProtocolException("frame-length", "frame length " + length + " is shorter than the frame header (6 bytes)");
            }
            if (length > this.maxFrameSize) {
                throw new ProtocolException("frame-length", "frame length " + length + " exceeds maxFrameSize " + this.maxFrameSize);
            }
            if (in.readableBytes() >= Frames.LENGTH_FIELD + 1) {
                int code = in.getUnsignedByte(start + 4);
                if (FrameType.fromCode(code) == null) {
                    throw new ProtocolException("frame-type", "unknown frame type 0x" + Integer.toHexString(code));
                }
            }
            if (in.readableBytes() < Frames.LENGTH_FIELD + length) {
                this.partialFrameLength = Frames.LENGTH_FIELD + length;
                return;
            }
            FrameType type = FrameType.fromCode(in.getUnsignedByte(start + 4));
            int flags = in.getUnsignedByte(start + 5);
            int callId = in.getInt(start + 6);
            int payloadLength = (int) length - Frames.HEADER_AFTER_LENGTH;
            ByteBuf payload = in.retainedSlice(start + Frames.HEADER, payloadLength);
            in.readerIndex(start + Frames.HEADER + payloadLength);
            this.framesDecoded++;
            out.add(new Frame(type, flags, callId, payload));
        }
        this.partialFrameLength = in.isReadable() ? Frames.LENGTH_FIELD : 0;
    }
}
