package dev.asyncrpc.internal.transport;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.asyncrpc.internal.protocol.FrameDecoder;
import dev.asyncrpc.internal.protocol.FrameType;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FrameReadTimeoutHandlerTests {

    private final TransportTestSupport.Sink sink = new TransportTestSupport.Sink();

    private EmbeddedChannel channel() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.freezeTime();
        ch.pipeline().addLast(new FrameDecoder(1024 * 1024), new FrameReadTimeoutHandler(Duration.ofSeconds(30)), this.sink);
        return ch;
    }

    @Test
    void aFrameThatStopsHalfWayIsReportedAfterTheTimeout() {
        EmbeddedChannel ch = channel();
        ByteBuf frame = TransportTestSupport.wire(FrameType.CALL, 1000);
        ch.writeInbound(frame.readRetainedSlice(500));
        advance(ch, 29);
        assertThat(this.sink.exceptions).isEmpty();
        advance(ch, 1);
        assertThat(this.sink.exceptions).singleElement().isInstanceOfSatisfying(ConnectionTimeoutException.class, ex -> {
            assertThat(ex.kind()).isEqualTo(ConnectionTimeoutException.Kind.FRAME_READ);
            assertThat(ex.getMessage()).contains("1010 bytes").contains("30000 ms");
        });
        frame.release();
        ch.finishAndReleaseAll();
    }

    @Test
    void framesThatCompleteInTimeAreNotReportedEvenWhenTheNextOneIsAlwaysIncomplete() {
        EmbeddedChannel ch = channel();
        ByteBuf stream = io.netty.buffer.Unpooled.buffer();
        for (int i = 0; i < 5; i++) {
            stream.writeBytes(TransportTestSupport.wire(FrameType.CALL, 1000));
        }
        // each read ends inside the next frame, 20 s apart: every frame takes less than 30 s
        int chunk = 505;
        while (stream.readableBytes() > 0) {
            ch.writeInbound(stream.readRetainedSlice(Math.min(chunk, stream.readableBytes())));
            chunk = 1010;
            advance(ch, 20);
        }
        stream.release();
        assertThat(this.sink.exceptions).isEmpty();
        assertThat(this.sink.frames).hasSize(5);
        advance(ch, 60);
        assertThat(this.sink.exceptions).isEmpty();
        ch.finishAndReleaseAll();
    }

    private static void advance(EmbeddedChannel ch, int seconds) {
        ch.advanceTimeBy(seconds, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
    }
}
