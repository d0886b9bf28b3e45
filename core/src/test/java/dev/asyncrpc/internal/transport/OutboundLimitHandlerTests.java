package dev.asyncrpc.internal.transport;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OutboundLimitHandlerTests {

    @Test
    void stopsReadingAboveTheHighMarkAndReadsAgainBelowTheLowMark() {
        TransportTestSupport.Sink sink = new TransportTestSupport.Sink();
        EmbeddedChannel ch = new EmbeddedChannel(new ReadGate(), new OutboundLimitHandler(1000, 2000, Duration.ofSeconds(30)), sink);
        ch.write(Unpooled.wrappedBuffer(new byte[1500]));
        assertThat(ch.isWritable()).isTrue();
        assertThat(ch.config().isAutoRead()).isTrue();
        ch.write(Unpooled.wrappedBuffer(new byte[1500])); // 3000 bytes queued, above 2000
        assertThat(ch.isWritable()).isFalse();
        assertThat(ch.config().isAutoRead()).isFalse();
        ch.flush(); // the peer takes it all
        assertThat(ch.isWritable()).isTrue();
        assertThat(ch.config().isAutoRead()).isTrue();
        assertThat(sink.exceptions).isEmpty();
        ch.finishAndReleaseAll();
    }

    @Test
    void aPeerThatStaysUnwritablePastTheStallTimeoutIsReported() {
        TransportTestSupport.Sink sink = new TransportTestSupport.Sink();
        EmbeddedChannel ch = new EmbeddedChannel(new ReadGate(), new OutboundLimitHandler(1000, 2000, Duration.ofSeconds(30)), sink);
        ch.freezeTime();
        ch.write(Unpooled.wrappedBuffer(new byte[3000]));
        ch.advanceTimeBy(29, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(sink.exceptions).isEmpty();
        ch.advanceTimeBy(2, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(sink.exceptions).singleElement().isInstanceOfSatisfying(ConnectionTimeoutException.class, ex -> {
            assertThat(ex.kind()).isEqualTo(ConnectionTimeoutException.Kind.WRITE_STALL);
            assertThat(ex.getMessage()).contains("30000 ms").contains("2000 bytes");
        });
        ch.finishAndReleaseAll();
    }

    @Test
    void drainingInTimeCancelsTheStallTimer() {
        TransportTestSupport.Sink sink = new TransportTestSupport.Sink();
        EmbeddedChannel ch = new EmbeddedChannel(new ReadGate(), new OutboundLimitHandler(1000, 2000, Duration.ofSeconds(30)), sink);
        ch.freezeTime();
        ch.write(Unpooled.wrappedBuffer(new byte[3000]));
        ch.advanceTimeBy(20, TimeUnit.SECONDS);
        ch.flush();
        ch.advanceTimeBy(20, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(sink.exceptions).isEmpty();
        ch.finishAndReleaseAll();
    }
}
