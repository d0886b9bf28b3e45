package dev.asyncrpc.internal.transport;

import java.util.concurrent.TimeUnit;

import dev.asyncrpc.internal.MemoryBudget;
import dev.asyncrpc.internal.protocol.FrameDecoder;
import dev.asyncrpc.internal.protocol.FrameType;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PartialFrameBudgetHandlerTests {

    private static final int BIG = 200 * 1024;

    private EmbeddedChannel channel(MemoryBudget budget) {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.freezeTime();
        ch.pipeline().addLast(new ReadGate(), new FrameDecoder(1024 * 1024), new PartialFrameBudgetHandler(budget), new TransportTestSupport.Sink());
        return ch;
    }

    @Test
    void anIncompleteLargeFrameIsChargedUntilItCompletes() {
        MemoryBudget budget = new MemoryBudget(4 * 1024 * 1024);
        EmbeddedChannel ch = channel(budget);
        ByteBuf frame = TransportTestSupport.wire(FrameType.CALL, BIG);
        ch.writeInbound(frame.readRetainedSlice(1000));
        assertThat(budget.used()).isEqualTo(BIG + 10);
        ch.writeInbound(frame.readRetainedSlice(frame.readableBytes()));
        assertThat(budget.used()).isZero();
        frame.release();
        ch.finishAndReleaseAll();
    }

    @Test
    void smallIncompleteFramesAreNotCharged() {
        MemoryBudget budget = new MemoryBudget(4 * 1024 * 1024);
        EmbeddedChannel ch = channel(budget);
        ByteBuf frame = TransportTestSupport.wire(FrameType.CALL, 1000);
        ch.writeInbound(frame.readRetainedSlice(100));
        assertThat(budget.used()).isZero();
        frame.release();
        ch.finishAndReleaseAll();
    }

    @Test
    void aFrameThatDoesNotFitPausesReadingUntilMemoryIsFreedAndClosingReleasesTheCharge() {
        MemoryBudget budget = new MemoryBudget(1024 * 1024);
        assertThat(budget.tryReserve(600 * 1024)).isTrue(); // others hold most of it; a quarter must stay free
        EmbeddedChannel ch = channel(budget);
        ByteBuf frame = TransportTestSupport.wire(FrameType.CALL, BIG);
        ch.writeInbound(frame.readRetainedSlice(1000));
        assertThat(ch.config().isAutoRead()).isFalse();
        assertThat(budget.used()).isEqualTo(600 * 1024);
        budget.release(600 * 1024);
        ch.advanceTimeBy(PartialFrameBudgetHandler.RETRY_MILLIS, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.config().isAutoRead()).isTrue();
        assertThat(budget.used()).isEqualTo(BIG + 10);
        ch.close();
        assertThat(budget.used()).isZero();
        frame.release();
        ch.finishAndReleaseAll();
    }

    @Test
    void aFrameThatCouldNeverFitIsReported() {
        MemoryBudget budget = new MemoryBudget(256 * 1024);
        TransportTestSupport.Sink sink = new TransportTestSupport.Sink();
        EmbeddedChannel ch = new EmbeddedChannel(new ReadGate(), new FrameDecoder(1024 * 1024), new PartialFrameBudgetHandler(budget), sink);
        ByteBuf frame = TransportTestSupport.wire(FrameType.CALL, BIG);
        ch.writeInbound(frame.readRetainedSlice(1000));
        assertThat(sink.exceptions).singleElement().isInstanceOfSatisfying(ResourceLimitException.class,
                ex -> assertThat(ex.getMessage()).isEqualTo("a frame of 204810 bytes is larger than the server's memory budget lets one frame take (196608 bytes)"));
        assertThat(budget.used()).isZero();
        frame.release();
        ch.finishAndReleaseAll();
    }
}
