package dev.asyncrpc.internal.transport;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.asyncrpc.internal.protocol.FrameType;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class IdleTimeoutHandlerTests {

    private final TransportTestSupport.Sink sink = new TransportTestSupport.Sink();
    private boolean busy;

    private EmbeddedChannel channel() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.freezeTime();
        ch.pipeline().addLast(new IdleTimeoutHandler(Duration.ofMinutes(1), () -> this.busy), this.sink);
        return ch;
    }

    @Test
    void anIdleConnectionIsReportedAfterTheTimeoutAndPingsDoNotKeepItOpen() {
        EmbeddedChannel ch = channel();
        advance(ch, 30);
        ch.writeInbound(TransportTestSupport.pingFrame(1));
        ch.writeInbound(TransportTestSupport.frame(FrameType.PONG));
        advance(ch, 30);
        assertThat(this.sink.exceptions).singleElement().isInstanceOfSatisfying(ConnectionTimeoutException.class,
                ex -> assertThat(ex.kind()).isEqualTo(ConnectionTimeoutException.Kind.IDLE));
        ch.finishAndReleaseAll();
    }

    @Test
    void callsInProgressOrOtherFramesKeepItOpen() {
        EmbeddedChannel ch = channel();
        this.busy = true;
        advance(ch, 600);
        this.busy = false;
        advance(ch, 50);
        ch.writeInbound(TransportTestSupport.frame(FrameType.CALL));
        advance(ch, 50);
        assertThat(this.sink.exceptions).isEmpty();
        advance(ch, 11);
        assertThat(this.sink.exceptions).hasSize(1);
        ch.finishAndReleaseAll();
    }

    private static void advance(EmbeddedChannel ch, int seconds) {
        ch.advanceTimeBy(seconds, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
    }
}
