package dev.asyncrpc.internal.transport;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.asyncrpc.internal.protocol.FrameType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class KeepAliveHandlerTests {

    private final TransportTestSupport.Sink sink = new TransportTestSupport.Sink();

    private EmbeddedChannel channel() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.freezeTime();
        ch.pipeline().addLast(new KeepAliveHandler(Duration.ofSeconds(30), Duration.ofSeconds(10)), this.sink);
        return ch;
    }

    @Test
    void aSilentPeerIsPingedAfterTheIntervalAndReportedAfterTheTimeout() {
        EmbeddedChannel ch = channel();
        advance(ch, 29);
        assertThat((Object) ch.readOutbound()).isNull();
        advance(ch, 1);
        ByteBuf ping = ch.readOutbound();
        assertThat(ping.getByte(4)).isEqualTo((byte) FrameType.PING.code());
        assertThat(ping.getLong(10)).isNegative(); // top bit set: never one of the connection's own pings
        ping.release();
        advance(ch, 9);
        assertThat(this.sink.exceptions).isEmpty();
        advance(ch, 1); // interval + timeout
        assertThat(this.sink.exceptions).singleElement().isInstanceOfSatisfying(ConnectionTimeoutException.class,
                ex -> assertThat(ex.kind()).isEqualTo(ConnectionTimeoutException.Kind.KEEPALIVE));
        ch.finishAndReleaseAll();
    }

    @Test
    void anyBytesFromThePeerCountAsAnAnswer() {
        EmbeddedChannel ch = channel();
        advance(ch, 30);
        ((ByteBuf) ch.readOutbound()).release();
        advance(ch, 5);
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] { 1 }));
        advance(ch, 10);
        assertThat(this.sink.exceptions).isEmpty();
        assertThat(this.sink.frames).hasSize(1);
        ch.finishAndReleaseAll();
    }

    @Test
    void aPeerThatKeepsTalkingIsNeverPinged() {
        EmbeddedChannel ch = channel();
        for (int i = 0; i < 10; i++) {
            advance(ch, 20);
            ch.writeInbound(Unpooled.wrappedBuffer(new byte[] { 1 }));
        }
        assertThat((Object) ch.readOutbound()).isNull();
        assertThat(this.sink.exceptions).isEmpty();
        ch.finishAndReleaseAll();
    }

    private static void advance(EmbeddedChannel ch, int seconds) {
        ch.advanceTimeBy(seconds, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
    }
}
