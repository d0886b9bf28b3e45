package dev.asyncrpc.internal.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReadGateTests {

    @Test
    void pausesAutoReadUntilEveryReasonIsCleared() {
        ReadGate gate = new ReadGate();
        EmbeddedChannel ch = new EmbeddedChannel(gate);
        assertThat(ch.config().isAutoRead()).isTrue();
        gate.pause(ReadGate.OUTBOUND);
        gate.pause(ReadGate.MEMORY);
        assertThat(ch.config().isAutoRead()).isFalse();
        gate.resume(ReadGate.OUTBOUND);
        assertThat(ch.config().isAutoRead()).isFalse();
        assertThat(gate.isPaused(ReadGate.MEMORY)).isTrue();
        gate.resume(ReadGate.MEMORY);
        assertThat(ch.config().isAutoRead()).isTrue();
        assertThat(gate.isPaused()).isFalse();
        ch.finishAndReleaseAll();
    }

    @Test
    void holdsBackReadRequestsOfLaterHandlersWhilePaused() {
        ReadGate gate = new ReadGate();
        int[] reads = new int[1];
        EmbeddedChannel ch = new EmbeddedChannel(new ChannelOutboundHandlerAdapter() {
            @Override
            public void read(ChannelHandlerContext ctx) {
                reads[0]++;
                ctx.read();
            }
        }, gate);
        gate.pause(ReadGate.MEMORY);
        int before = reads[0];
        ch.read(); // as a decoder asking for the rest of a frame
        assertThat(reads[0]).isEqualTo(before);
        assertThat(gate.isReadHeld()).isTrue();
        gate.resume(ReadGate.MEMORY);
        assertThat(reads[0]).isGreaterThan(before);
        ch.finishAndReleaseAll();
    }

    @Test
    void runsTheDecodersNextTurnOnALaterTurnOfTheEventLoopWhileReadingIsPaused() {
        ReadGate gate = new ReadGate();
        EmbeddedChannel ch = new EmbeddedChannel(gate);
        int[] turns = new int[1];
        gate.holding(() -> turns[0]++);
        assertThat(ch.config().isAutoRead()).isFalse();
        assertThat(gate.isPaused(ReadGate.BACKLOG)).isTrue();
        assertThat(turns[0]).as("not within the current turn").isZero();
        ch.runPendingTasks();
        assertThat(turns[0]).isOne();
        ch.runPendingTasks();
        assertThat(turns[0]).as("once per holding").isOne();
        gate.released();
        assertThat(ch.config().isAutoRead()).isTrue();
        ch.finishAndReleaseAll();
    }

    @Test
    void theNextTurnWaitsWhileAnotherReasonPausesReading() {
        ReadGate gate = new ReadGate();
        EmbeddedChannel ch = new EmbeddedChannel(gate);
        int[] turns = new int[1];
        gate.pause(ReadGate.OUTBOUND);
        gate.holding(() -> turns[0]++);
        ch.runPendingTasks();
        assertThat(turns[0]).as("the peer does not read its replies: no more of its frames handled").isZero();
        gate.resume(ReadGate.OUTBOUND);
        assertThat(ch.config().isAutoRead()).as("still holding frames").isFalse();
        ch.runPendingTasks();
        assertThat(turns[0]).isOne();
        ch.finishAndReleaseAll();
    }

    @Test
    void aTurnScheduledBeforeAnotherReasonPausedReadingWaitsForItToClear() {
        ReadGate gate = new ReadGate();
        EmbeddedChannel ch = new EmbeddedChannel(gate);
        int[] turns = new int[1];
        gate.holding(() -> turns[0]++);
        gate.pause(ReadGate.REFUSED);
        ch.runPendingTasks();
        assertThat(turns[0]).isZero();
        gate.resume(ReadGate.REFUSED);
        ch.runPendingTasks();
        assertThat(turns[0]).isOne();
        ch.finishAndReleaseAll();
    }

    @Test
    void releasingTheBacklogLeavesOtherReasonsInPlace() {
        ReadGate gate = new ReadGate();
        EmbeddedChannel ch = new EmbeddedChannel(gate);
        gate.holding(() -> { });
        gate.pause(ReadGate.MEMORY);
        gate.released();
        assertThat(ch.config().isAutoRead()).isFalse();
        assertThat(gate.isPaused(ReadGate.BACKLOG)).isFalse();
        gate.resume(ReadGate.MEMORY);
        assertThat(ch.config().isAutoRead()).isTrue();
        ch.finishAndReleaseAll();
    }
}
