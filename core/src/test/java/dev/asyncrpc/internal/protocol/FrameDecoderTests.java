package dev.asyncrpc.internal.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FrameDecoderTests {

    private final List<Throwable> errors = new ArrayList<>();

    private EmbeddedChannel channel() {
        return new EmbeddedChannel(new FrameDecoder(1024), new ChannelInboundHandlerAdapter() {
            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                FrameDecoderTests.this.errors.add(cause.getCause() != null ? cause.getCause() : cause);
            }
        });
    }

    private static ByteBuf frame(int type, int payload) {
        return Unpooled.buffer().writeInt(6 + payload).writeByte(type).writeByte(0).writeInt(1).writeZero(payload);
    }

    @Test
    void afterTheFirstErrorEverythingIsDiscardedAndNoSecondErrorIsRaised() {
        EmbeddedChannel ch = channel();
        ByteBuf in = Unpooled.buffer().writeInt(5000).writeByte(0x10).writeByte(0).writeInt(1); // above maxFrameSize 1024
        ch.writeInbound(in);
        ch.writeInbound(frame(0x7f, 3)); // unknown type: would be a second error
        ch.writeInbound(frame(0x30, 8)); // a good PING: not decoded any more
        assertThat(this.errors).singleElement().isInstanceOfSatisfying(ProtocolException.class, ex -> {
            assertThat(ex.kind()).isEqualTo("frame-length");
            assertThat(ex.getMessage()).isEqualTo("frame length 5000 exceeds maxFrameSize 1024");
        });
        assertThat((Object) ch.readInbound()).isNull();
        ch.finishAndReleaseAll();
    }

    @Test
    void anUnknownTypeIsRefusedBeforeThePayloadArrives() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(Unpooled.buffer().writeInt(1000).writeByte(0x7f));
        assertThat(this.errors).singleElement().isInstanceOfSatisfying(ProtocolException.class,
                ex -> assertThat(ex.kind()).isEqualTo("frame-type"));
        ch.finishAndReleaseAll();
    }

    @Test
    void reportsTheIncompleteFrameItHolds() {
        FrameDecoder decoder = new FrameDecoder(1024);
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        ByteBuf f = frame(0x10, 500);
        ch.writeInbound(f.readRetainedSlice(100));
        assertThat(decoder.partialFrameLength()).isEqualTo(510);
        assertThat(decoder.framesDecoded()).isZero();
        ch.writeInbound(f.readRetainedSlice(f.readableBytes()));
        assertThat(decoder.partialFrameLength()).isZero();
        assertThat(decoder.framesDecoded()).isOne();
        f.release();
        ((Frame) ch.readInbound()).release();
        ch.finishAndReleaseAll();
    }
}
