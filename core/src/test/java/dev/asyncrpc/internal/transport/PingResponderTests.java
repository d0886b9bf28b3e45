package dev.asyncrpc.internal.transport;

import java.util.ArrayList;
import java.util.List;

import dev.asyncrpc.internal.protocol.FrameType;
import dev.asyncrpc.internal.protocol.Frames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PingResponderTests {

    @Test
    void answersEachPingOfABatchWithAPongCarryingItsOpaqueValue() {
        TransportTestSupport.Sink sink = new TransportTestSupport.Sink();
        EmbeddedChannel ch = new EmbeddedChannel(new PingResponder(), sink);
        ch.writeOneInbound(TransportTestSupport.pingFrame(7));
        ch.writeOneInbound(TransportTestSupport.frame(FrameType.PONG));
        ch.writeOneInbound(TransportTestSupport.pingFrame(8));
        ch.flushInbound(); // end of the read batch
        assertThat(pongs(ch)).containsExactly(7L, 8L);
        assertThat(sink.frames).containsExactly("PONG:1"); // other frames pass on
        ch.finishAndReleaseAll();
    }

    @Test
    void aPingFloodKeepsOnlyTheLatestPingsAndAnswersNothingWhileUnwritable() {
        EmbeddedChannel ch = new EmbeddedChannel(new ReadGate(), new OutboundLimitHandler(16, 32, java.time.Duration.ZERO), new PingResponder());
        ch.write(Unpooled.wrappedBuffer(new byte[64])); // the peer reads nothing: unwritable
        for (int i = 0; i < 100_000; i++) {
            ch.writeOneInbound(TransportTestSupport.pingFrame(i));
        }
        ch.flushInbound();
        assertThat(ch.outboundMessages()).isEmpty(); // nothing flushed while unwritable
        ch.flush(); // the peer reads again: the backlog goes, then the remembered PINGs are answered
        List<Long> answered = pongs(ch);
        assertThat(answered).hasSize(PingResponder.MAX_PENDING).last().isEqualTo(99_999L);
        ch.finishAndReleaseAll();
    }

    @Test
    void aMalformedPingIsAProtocolError() {
        TransportTestSupport.Sink sink = new TransportTestSupport.Sink();
        EmbeddedChannel ch = new EmbeddedChannel(new PingResponder(), sink);
        ch.writeOneInbound(new dev.asyncrpc.internal.protocol.Frame(FrameType.PING, 0, 0, Unpooled.buffer(3).writeMedium(1)));
        assertThat(sink.exceptions).singleElement().satisfies(ex -> assertThat(ex).hasMessageContaining("PING payload of 3 bytes"));
        ch.finishAndReleaseAll();
    }

    static List<Long> pongs(EmbeddedChannel ch) {
        List<Long> out = new ArrayList<>();
        Object msg;
        while ((msg = ch.readOutbound()) != null) {
            ByteBuf b = (ByteBuf) msg;
            try {
                if (b.readableBytes() == Frames.HEADER + 8 && b.getByte(4) == FrameType.PONG.code()) {
                    out.add(b.getLong(Frames.HEADER));
                }
            }
            finally {
                b.release();
            }
        }
        return out;
    }
}
