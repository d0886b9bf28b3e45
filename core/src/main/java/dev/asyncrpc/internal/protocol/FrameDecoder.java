package dev.asyncrpc.internal.protocol;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

/**
 * Splits the byte stream into {@link Frame}s. Bounded: a length above {@code maxFrameSize} or below
 * the header size, or an unknown type code, raises {@link ProtocolException} before any payload is
 * buffered. Each frame's payload is a retained slice of the cumulation (no copy).
 */
public final class FrameDecoder extends ByteToMessageDecoder {

    private final int maxFrameSize;

    /**
     * @param maxFrameSize the largest frame this side accepts (the length field value, header
     *        included), as announced in its handshake
     */
    public FrameDecoder(int maxFrameSize) {
        this.maxFrameSize = maxFrameSize;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.readableBytes() >= Frames.LENGTH_FIELD) {
            int start = in.readerIndex();
            long length = in.getUnsignedInt(start);
            if (length < Frames.HEADER_AFTER_LENGTH) {
                throw new ProtocolException("frame length " + length + " is shorter than the frame header (6 bytes)");
            }
            if (length > this.maxFrameSize) {
                throw new ProtocolException("frame length " + length + " exceeds maxFrameSize " + this.maxFrameSize);
            }
            if (in.readableBytes() < Frames.LENGTH_FIELD + length) {
                return;
            }
            int code = in.getUnsignedByte(start + 4);
            FrameType type = FrameType.fromCode(code);
            if (type == null) {
                throw new ProtocolException("unknown frame type 0x" + Integer.toHexString(code));
            }
            int flags = in.getUnsignedByte(start + 5);
            int callId = in.getInt(start + 6);
            int payloadLength = (int) length - Frames.HEADER_AFTER_LENGTH;
            ByteBuf payload = in.retainedSlice(start + Frames.HEADER, payloadLength);
            in.readerIndex(start + Frames.HEADER + payloadLength);
            out.add(new Frame(type, flags, callId, payload));
        }
    }
}
