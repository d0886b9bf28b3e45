package dev.asyncrpc.internal.client;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.asyncrpc.RemoteCallException;
import dev.asyncrpc.Status;
import dev.asyncrpc.internal.protocol.Frame;
import dev.asyncrpc.internal.protocol.FrameType;
import dev.asyncrpc.internal.protocol.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link ClientPings} on an {@link EmbeddedChannel}, with futures completed in place. */
class ClientPingsTests {

    private final EmbeddedChannel channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
    private final ChannelHandlerContext ctx = this.channel.pipeline().firstContext();
    private boolean handshakeDone;
    private final ClientPings pings = new ClientPings("test:1", Runnable::run, () -> this.handshakeDone);

    @AfterEach
    void close() {
        this.channel.finishAndReleaseAll();
    }

    /** The opaque value of the PING written last, which it releases. */
    private long writtenOpaque() {
        ByteBuf buf = this.channel.readOutbound();
        assertThat(buf).isNotNull();
        try {
            return buf.getLong(buf.writerIndex() - 8);
        }
        finally {
            buf.release();
        }
    }

    private static Frame pong(long opaque) {
        return new Frame(FrameType.PONG, 0, 0, Unpooled.buffer(8).writeLong(opaque));
    }

    private static RemoteCallException failure(ClientPings.Ping ping) {
        assertThat(ping.future).isCompletedExceptionally();
        try {
            ping.future.get();
            throw new AssertionError("not failed");
        }
        catch (ExecutionException ex) {
            return (RemoteCallException) ex.getCause();
        }
        catch (InterruptedException ex) {
            throw new AssertionError(ex);
        }
    }

    @Test
    void pingIsSentAndItsPongCompletesIt() {
        this.handshakeDone = true;
        ClientPings.Ping ping = new ClientPings.Ping(TimeUnit.SECONDS.toNanos(30));
        this.pings.start(ping, this.channel.eventLoop(), this.ctx);
        this.channel.flushOutbound();
        long opaque = writtenOpaque();
        assertThat((Object) ping.timer).isNotNull();

        Frame other = pong(opaque + 100);
        this.pings.onPong(other); // not ours: ignored
        other.release();
        assertThat(ping.future).isNotDone();

        Frame frame = pong(opaque);
        this.pings.onPong(frame);
        frame.release();
        assertThat(ping.future).isCompletedWithValueMatching(rtt -> !rtt.isNegative());
        assertThat(ping.timer.isCancelled()).isTrue();
    }

    @Test
    void pingAskedForBeforeTheHandshakeWaitsForIt() {
        ClientPings.Ping ping = new ClientPings.Ping(TimeUnit.SECONDS.toNanos(30));
        this.pings.start(ping, this.channel.eventLoop(), null);
        this.channel.flushOutbound();
        assertThat((Object) this.channel.readOutbound()).isNull();

        this.handshakeDone = true;
        this.pings.sendWaiting(this.ctx);
        this.channel.flushOutbound();
        Frame frame = pong(writtenOpaque());
        this.pings.onPong(frame);
        frame.release();
        assertThat(ping.future).isCompletedWithValueMatching(rtt -> !rtt.isNegative());
    }

    @Test
    void pingWhoseTimeIsUpFailsWithoutBeingSent() {
        ClientPings.Ping ping = new ClientPings.Ping(0);
        this.pings.start(ping, this.channel.eventLoop(), null);
        assertThat(failure(ping).status()).isEqualTo(Status.DEADLINE_EXCEEDED);
        assertThat(failure(ping).getMessage()).contains("no PONG from test:1 within 0 ms (the handshake is not done)");
        this.channel.flushOutbound();
        assertThat((Object) this.channel.readOutbound()).isNull();
    }

    @Test
    void closeFailsPingsSentAndHeld() {
        this.handshakeDone = true;
        ClientPings.Ping sent = new ClientPings.Ping(TimeUnit.SECONDS.toNanos(30));
        this.pings.start(sent, this.channel.eventLoop(), this.ctx);
        ClientPings.Ping held = new ClientPings.Ping(TimeUnit.SECONDS.toNanos(30));
        this.pings.start(held, this.channel.eventLoop(), null);
        this.channel.flushOutbound();
        long opaque = writtenOpaque();

        this.pings.failAll("gone");
        for (ClientPings.Ping ping : new ClientPings.Ping[] { sent, held }) {
            assertThat(failure(ping).status()).isEqualTo(Status.UNAVAILABLE);
            assertThat(failure(ping).getMessage()).contains("gone");
            assertThat(ping.timer.isCancelled()).isTrue();
        }
        Frame late = pong(opaque);
        this.pings.onPong(late); // forgotten: ignored
        late.release();
    }

    @Test
    void opaqueValuesDiffer() {
        this.handshakeDone = true;
        this.pings.start(new ClientPings.Ping(TimeUnit.SECONDS.toNanos(30)), this.channel.eventLoop(), this.ctx);
        this.pings.start(new ClientPings.Ping(TimeUnit.SECONDS.toNanos(30)), this.channel.eventLoop(), this.ctx);
        this.channel.flushOutbound();
        assertThat(writtenOpaque()).isNotEqualTo(writtenOpaque());
        this.pings.failAll("done");
    }

    @Test
    void pongOfWrongSizeIsAProtocolError() {
        Frame frame = new Frame(FrameType.PONG, 0, 0, Unpooled.buffer(4).writeInt(1));
        try {
            assertThatThrownBy(() -> this.pings.onPong(frame)).isInstanceOf(ProtocolException.class)
                    .hasMessageContaining("PONG payload of 4 bytes");
        }
        finally {
            frame.release();
        }
    }

}
