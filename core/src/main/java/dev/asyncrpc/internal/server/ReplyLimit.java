package dev.asyncrpc.internal.server;

import dev.asyncrpc.Status;
import dev.asyncrpc.internal.protocol.FrameType;
import dev.asyncrpc.internal.protocol.Frames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Makes a call's last frame fit the client's {@code MAX_FRAME_SIZE}: a REPLY above it becomes an
 * ERROR ({@link Status#RESOURCE_EXHAUSTED}) whose message names the size and the limit; an ERROR
 * above it keeps its status with its message cut to fit. Any thread.
 */
final class ReplyLimit {

    private ReplyLimit() {
    }

    /**
     * @param frame a whole REPLY or ERROR frame, length field included; ownership passes here
     * @param callId the call
     * @param peerMaxFrameSize the client's limit (length field value)
     * @param operation the operation, for the message
     * @return {@code frame} if it fits, else a frame that does (and {@code frame} is released); the caller owns it
     */
    static ByteBuf fit(ByteBufAllocator alloc, ByteBuf frame, int callId, int peerMaxFrameSize, String operation) {
        long length = frame.readableBytes() - Frames.LENGTH_FIELD;
        if (length <= peerMaxFrameSize) {
            return frame;
        }
        try {
            int type = frame.getUnsignedByte(frame.readerIndex() + Frames.LENGTH_FIELD);
            if (type == FrameType.ERROR.code()) {
                Frames.ErrorBody error = Frames.readError(frame.slice(frame.readerIndex() + Frames.HEADER, frame.readableBytes() - Frames.HEADER));
                return Frames.error(alloc, callId, error.status(), cut(error.message(), peerMaxFrameSize - Frames.HEADER_AFTER_LENGTH - 4));
            }
            return Frames.error(alloc, callId, Status.RESOURCE_EXHAUSTED, "the reply of " + operation + " is a frame of " + length
                    + " bytes, above the client's MAX_FRAME_SIZE of " + peerMaxFrameSize + " bytes; the call ran, its result was dropped");
        }
        finally {
            frame.release();
        }
    }

    private static String cut(String message, int maxBytes) {
        byte[] bytes = Frames.utf8(message, maxBytes);
        return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }
}
