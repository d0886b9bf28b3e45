package dev.asyncrpc.internal.protocol;

import java.util.ArrayList;
import java.util.List;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes {@link FrameDecoder} on an {@link EmbeddedChannel}: whatever the bytes, it yields frames
 * of known types and consistent lengths, or fails with a {@link ProtocolException}; the frames do
 * not depend on how the stream is split into reads; and every buffer is released. The committed
 * inputs ({@code FrameDecoderFuzzTestsInputs/}) run as regression tests in every build.
 */
class FrameDecoderFuzzTests {

    static final int MAX_FRAME_SIZE = 1024;

    @FuzzTest(maxDuration = "2m")
    void frames(byte[] input) {
        Outcome whole = decode(input, input.length);
        Outcome split = decode(input, 1 + (input.length % 7));
        assertThat(split.frames).as("frames read in small pieces").isEqualTo(whole.frames);
        assertThat(split.error).as("error when read in small pieces").isEqualTo(whole.error);
        int consumed = 0;
        for (String f : whole.frames) {
            consumed += Integer.parseInt(f.substring(f.lastIndexOf(' ') + 1)) + Frames.HEADER;
        }
        assertThat(consumed).as("bytes taken by frames").isLessThanOrEqualTo(input.length);
    }

    /** The frames (type, flags, call id, payload hex and length) and the protocol error, if any. */
    record Outcome(List<String> frames, String error) {
    }

    private static Outcome decode(byte[] input, int piece) {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(MAX_FRAME_SIZE));
        List<String> frames = new ArrayList<>();
        String error = null;
        try {
            for (int at = 0; at < input.length && error == null; at += piece) {
                ByteBuf chunk = Unpooled.directBuffer(piece);
                chunk.writeBytes(input, at, Math.min(piece, input.length - at));
                try {
                    ch.writeInbound(chunk);
                }
                catch (DecoderException ex) {
                    assertThat(ex.getCause()).as("cause of a decoder failure").isInstanceOf(ProtocolException.class);
                    error = ex.getCause().getMessage();
                }
                Object msg;
                while ((msg = ch.readInbound()) != null) {
                    Frame f = (Frame) msg;
                    try {
                        int length = f.payload().readableBytes();
                        assertThat(length + Frames.HEADER_AFTER_LENGTH).isLessThanOrEqualTo(MAX_FRAME_SIZE);
                        assertThat(FrameType.fromCode(f.type().code())).isEqualTo(f.type());
                        frames.add(f.type() + " " + f.flags() + " " + f.callId() + " " + io.netty.buffer.ByteBufUtil.hexDump(f.payload()) + " " + length);
                    }
                    finally {
                        f.release();
                    }
                }
            }
        }
        finally {
            try {
                ch.finishAndReleaseAll();
            }
            catch (DecoderException ex) {
                // closing makes the decoder read what is left, after its error too; a server closes
                // the connection after the first error, so only that one counts here
                assertThat(error).as("error when the channel closed, after none while reading: " + ex).isNotNull();
                assertThat(ex.getCause()).isInstanceOf(ProtocolException.class);
            }
        }
        return new Outcome(frames, error);
    }
}
