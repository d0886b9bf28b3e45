package dev.asyncrpc.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The socket half (output shut down, input discarded, linger) is covered by ConnectionLayerTests. */
class GracefulCloseTests {

    @Test
    void theLastFrameIsWrittenBeforeTheClose() {
        TransportTestSupport.Sink sink = new TransportTestSupport.Sink();
        EmbeddedChannel ch = new EmbeddedChannel(new ReadGate(), sink);
        boolean[] openWhenWritten = new boolean[1];
        ch.pipeline().addFirst(new io.netty.channel.ChannelOutboundHandlerAdapter() {
            @Override
            public void write(io.netty.channel.ChannelHandlerContext ctx, Object msg, io.netty.channel.ChannelPromise promise) {
                openWhenWritten[0] = ctx.channel().isActive();
                ctx.write(msg, promise);
            }
        });
        GracefulClose.close(ch, Unpooled.wrappedBuffer(new byte[] { 9, 9 }));
        ByteBuf written = ch.readOutbound();
        assertThat(written.readableBytes()).isEqualTo(2);
        written.release();
        assertThat(openWhenWritten[0]).isTrue();
        assertThat(ch.isOpen()).isFalse(); // not a socket: closed once the frame is written
        ByteBuf second = Unpooled.wrappedBuffer(new byte[] { 7 });
        GracefulClose.close(ch, second); // a closed channel: the frame is released, nothing written
        assertThat(second.refCnt()).isZero();
        assertThat((Object) ch.readOutbound()).isNull();
        ch.finishAndReleaseAll();
    }
}
