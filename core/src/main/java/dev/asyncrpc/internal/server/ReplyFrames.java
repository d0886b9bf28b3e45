package dev.asyncrpc.internal.server;

import dev.asyncrpc.Status;
import dev.asyncrpc.internal.codec.CodecException;
import dev.asyncrpc.internal.protocol.FrameType;
import dev.asyncrpc.internal.protocol.Frames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Encodes the one reply frame of a server call: a REPLY with the method's value (an INTERNAL ERROR
 * if the value cannot be encoded), or an ERROR; and the failure a call reports once its deadline
 * passed on the server. Stateless; {@link ServerCallContext} decides which frame and sends it.
 */
final class ReplyFrames {

    private ReplyFrames() {
    }

    /**
     * The REPLY frame of {@code value} (flagged null for {@code null} or a void method), started at the
     * size of the method's previous reply, whose size becomes the hint for the next; an ERROR frame
     * with INTERNAL if the value's codec refuses it.
     * @return a finished frame owned by the caller
     */
    static ByteBuf value(ByteBufAllocator alloc, ServerMethod method, int id, Object value) {
        boolean isNull = value == null || method.valueCodec == null;
        ByteBuf frame = Frames.startSized(alloc, FrameType.REPLY, isNull ? Frames.REPLY_NULL : 0, id, method.replySizeHint);
        if (!isNull) {
            try {
                method.valueCodec.encode(value, frame);
            }
            catch (CodecException | ClassCastException ex) {
                frame.release();
                return Frames.error(alloc, id, Status.INTERNAL, "cannot encode the value of " + method.model.fullName() + ": " + ex.getMessage());
            }
        }
        method.replySizeHint = frame.readableBytes() - Frames.HEADER; // racy: a hint only
        return Frames.finish(frame);
    }

    /** The message of a call failed because its deadline passed on the server. */
    static String deadlineMessage(ServerMethod method) {
        return "the deadline of " + method.model.fullName() + " passed on the server";
    }

    /**
     * The status a failure is reported with: DEADLINE_EXCEEDED once the deadline passed on the server
     * (it decided the outcome first), else {@code status}.
     */
    static Status failureStatus(boolean deadlinePassed, Status status) {
        return deadlinePassed ? Status.DEADLINE_EXCEEDED : status;
    }

    /**
     * The message a failure is reported with: once the deadline passed on the server, a failure other
     * than DEADLINE_EXCEEDED (such as the implementation's answer to the deadline's cancel) names the
     * deadline and what the implementation ended the call with.
     */
    static String failureMessage(ServerMethod method, boolean deadlinePassed, Status status, String message) {
        if (deadlinePassed && status != Status.DEADLINE_EXCEEDED) {
            return deadlineMessage(method) + " (the implementation then ended the call with " + status + ": " + message + ")";
        }
        return message;
    }
}
