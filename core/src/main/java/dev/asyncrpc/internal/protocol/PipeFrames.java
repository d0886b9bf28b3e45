package dev.asyncrpc.internal.protocol;

import dev.asyncrpc.Status;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Writers and layout constants of the pipe frames (docs/protocol.md section 4). Every writer returns
 * a new buffer holding one whole frame; the caller owns it and passes ownership on by writing it.
 *
 * <pre>
 * PIPE_DATA payload = pipe:u8 count:u16 count × (length:i32 bytes)
 * PIPE_END  payload = pipe:u8 outcome:u8 [status:u16 messageLength:u16 message]
 * CREDIT    payload = pipe:u8 bytes:u32
 * </pre>
 */
public final class PipeFrames {

    /** Bytes of a PIPE_DATA payload before the first element: pipe index and element count. */
    public static final int DATA_HEADER = 3;

    /** Offset of the element count in a PIPE_DATA frame, from the start of the frame. */
    public static final int COUNT_OFFSET = Frames.HEADER + 1;

    /** The most elements one PIPE_DATA frame carries (the count is a u16). */
    public static final int MAX_COUNT = 0xFFFF;

    /** PIPE_END outcome: the sender closed the pipe (the zero-element push). */
    public static final int CLOSED = 0;

    /** PIPE_END outcome: the sender aborted the pipe; a status and message follow. */
    public static final int ABORTED = 1;

    private PipeFrames() {
    }

    /**
     * Start a PIPE_DATA frame with call id 0 (set when the frame is written) and count 0 (set by
     * {@link #finishData}).
     * @return a new buffer owned by the caller
     */
    public static ByteBuf startData(ByteBufAllocator alloc, int pipe, int elementBytesHint) {
        ByteBuf buf = Frames.start(alloc, FrameType.PIPE_DATA, 0, 0, DATA_HEADER + elementBytesHint);
        buf.writeByte(pipe).writeShort(0);
        return buf;
    }

    /** Set the element count and the length field of a frame started with {@link #startData}. */
    public static ByteBuf finishData(ByteBuf frame, int count) {
        frame.setShort(frame.readerIndex() + COUNT_OFFSET, count);
        return Frames.finish(frame);
    }

    /** The zero-element push. */
    public static ByteBuf end(ByteBufAllocator alloc, int callId, int pipe) {
        ByteBuf buf = Frames.start(alloc, FrameType.PIPE_END, 0, callId, 2);
        buf.writeByte(pipe).writeByte(CLOSED);
        return Frames.finish(buf);
    }

    /** A PIPE_END that fails the pipe with {@code status}. */
    public static ByteBuf abort(ByteBufAllocator alloc, int callId, int pipe, Status status, String message) {
        byte[] text = Frames.utf8(message, 4096);
        ByteBuf buf = Frames.start(alloc, FrameType.PIPE_END, 0, callId, 6 + text.length);
        buf.writeByte(pipe).writeByte(ABORTED).writeShort(status.code()).writeShort(text.length).writeBytes(text);
        return Frames.finish(buf);
    }

    /** Grant {@code bytes} (1 to 2^31-1) of credit to the sender of pipe {@code pipe}. */
    public static ByteBuf credit(ByteBufAllocator alloc, int callId, int pipe, int bytes) {
        ByteBuf buf = Frames.start(alloc, FrameType.CREDIT, 0, callId, 5);
        buf.writeByte(pipe).writeInt(bytes);
        return Frames.finish(buf);
    }
}
