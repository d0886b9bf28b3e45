package dev.asyncrpc.internal.server;

import dev.asyncrpc.RemoteService;
import dev.asyncrpc.Status;
import dev.asyncrpc.internal.codec.Codecs;
import dev.asyncrpc.internal.contract.ServiceModel;
import dev.asyncrpc.internal.protocol.FrameType;
import dev.asyncrpc.internal.protocol.Frames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The reply frames of a server call, encoded from plain objects. */
class ReplyFramesTests {

    @RemoteService("replies")
    public interface Replies {
        String text();

        void nothing();

        Unwritable broken();
    }

    /** A value its codec cannot write: reading its one property fails. */
    public static final class Unwritable {
        public String getValue() {
            throw new IllegalStateException("test: not writable");
        }
    }

    private static final ByteBufAllocator ALLOC = new UnpooledByteBufAllocator(false);

    private static final Codecs CODECS = new Codecs();

    private static ServerMethod method(String name) throws NoSuchMethodException {
        ServiceModel model = ServiceModel.of(Replies.class, ServiceModel.Side.IMPLEMENTER);
        return new ServerMethod(model.operations().get(Replies.class.getMethod(name)), new Object(), CODECS);
    }

    @Test
    void aValueIsAReplyFrameWithItsEncodingAndSetsTheSizeHint() throws Exception {
        ServerMethod text = method("text");
        ByteBuf frame = ReplyFrames.value(ALLOC, text, 42, "hello");
        ByteBuf expected = Unpooled.buffer();
        try {
            text.valueCodec.encode("hello", expected);
            assertThat(frame.readInt()).isEqualTo(frame.readableBytes());
            assertThat(frame.readByte()).isEqualTo((byte) FrameType.REPLY.code());
            assertThat(frame.readByte()).as("flags").isZero();
            assertThat(frame.readInt()).as("call id").isEqualTo(42);
            assertThat(ByteBufUtil.getBytes(frame)).isEqualTo(ByteBufUtil.getBytes(expected));
            assertThat(text.replySizeHint).isEqualTo(expected.readableBytes());
        }
        finally {
            frame.release();
            expected.release();
        }
    }

    @Test
    void nullAndVoidAreFlaggedWithoutPayload() throws Exception {
        for (ServerMethod m : new ServerMethod[] { method("text"), method("nothing") }) {
            ByteBuf frame = ReplyFrames.value(ALLOC, m, 7, null);
            try {
                assertThat(frame.readableBytes()).isEqualTo(Frames.HEADER);
                assertThat(frame.getByte(Frames.LENGTH_FIELD)).isEqualTo((byte) FrameType.REPLY.code());
                assertThat(frame.getByte(Frames.LENGTH_FIELD + 1)).isEqualTo((byte) Frames.REPLY_NULL);
                assertThat(frame.getInt(Frames.CALL_ID_OFFSET)).isEqualTo(7);
            }
            finally {
                frame.release();
            }
        }
    }

    @Test
    void aValueItsCodecRefusesIsAnInternalError() throws Exception {
        ServerMethod broken = method("broken");
        ByteBuf frame = ReplyFrames.value(ALLOC, broken, 9, new Unwritable());
        try {
            assertThat(frame.getByte(Frames.LENGTH_FIELD)).isEqualTo((byte) FrameType.ERROR.code());
            assertThat(frame.getInt(Frames.CALL_ID_OFFSET)).isEqualTo(9);
            frame.skipBytes(Frames.HEADER);
            Frames.ErrorBody error = Frames.readError(frame);
            assertThat(error.status()).isEqualTo(Status.INTERNAL);
            assertThat(error.message()).startsWith("cannot encode the value of replies/broken: ");
        }
        finally {
            frame.release();
        }
    }

    @Test
    void aValueOfTheWrongTypeIsAnInternalError() throws Exception {
        ServerMethod broken = method("broken");
        ByteBuf frame = ReplyFrames.value(ALLOC, broken, 9, "not an Unwritable");
        try {
            frame.skipBytes(Frames.HEADER);
            assertThat(Frames.readError(frame).status()).isEqualTo(Status.INTERNAL);
        }
        finally {
            frame.release();
        }
    }

    @Test
    void onceTheDeadlinePassedAFailureIsReportedAsDeadlineExceeded() throws Exception {
        ServerMethod text = method("text");
        assertThat(ReplyFrames.failureStatus(true, Status.CANCELLED)).isEqualTo(Status.DEADLINE_EXCEEDED);
        assertThat(ReplyFrames.failureMessage(text, true, Status.CANCELLED, "stopped"))
                .isEqualTo("the deadline of replies/text passed on the server (the implementation then ended the call with CANCELLED: stopped)");
        assertThat(ReplyFrames.failureMessage(text, true, Status.DEADLINE_EXCEEDED, "late")).isEqualTo("late");
        assertThat(ReplyFrames.failureStatus(false, Status.CANCELLED)).isEqualTo(Status.CANCELLED);
        assertThat(ReplyFrames.failureMessage(text, false, Status.CANCELLED, "stopped")).isEqualTo("stopped");
    }
}
