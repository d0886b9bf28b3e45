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
}
