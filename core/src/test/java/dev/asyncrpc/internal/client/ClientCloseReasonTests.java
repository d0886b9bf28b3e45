package dev.asyncrpc.internal.client;

import java.io.IOException;

import dev.asyncrpc.Status;
import dev.asyncrpc.internal.protocol.FrameType;
import dev.asyncrpc.internal.protocol.Frames;
import dev.asyncrpc.internal.protocol.ProtocolException;
import dev.asyncrpc.internal.transport.ConnectionTimeoutException;
import dev.asyncrpc.internal.transport.Endpoint;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Why a client connection closed, and how it closes on each kind of failure ({@link EmbeddedChannel}). */
class ClientCloseReasonTests {

    private final EmbeddedChannel channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
    private final ChannelHandlerContext ctx = this.channel.pipeline().firstContext();
    private final ClientCloseReason reason = new ClientCloseReason(Endpoint.parse("127.0.0.1:7002"));

    @AfterEach
    void release() {
        this.channel.finishAndReleaseAll();
    }

    /** The GOAWAY written, as "status: message", or {@code null} if nothing was written. */
    private String goAway() {
        ByteBuf frame = this.channel.readOutbound();
        if (frame == null) {
            return null;
        }
        try {
            assertThat(FrameType.fromCode(frame.getByte(frame.readerIndex() + Frames.LENGTH_FIELD))).isEqualTo(FrameType.GOAWAY);
            Frames.GoAwayBody body = Frames.readGoAway(frame.skipBytes(Frames.HEADER));
            return body.status() + ": " + body.message();
        }
        finally {
            frame.release();
        }
    }

    @Test
    void withoutAReasonTheMessageSaysWhetherTheHandshakeWasDone() {
        assertThat(this.reason.message(true)).isEqualTo("connection to 127.0.0.1:7002 closed");
        assertThat(this.reason.message(false)).isEqualTo("connection to 127.0.0.1:7002 closed during the handshake"
                + " (is it an asyncrpc server, and do both sides agree on TLS?)");
    }

    @Test
    void anOfferedReasonKeepsTheFirstAndASetOneReplacesIt() {
        this.reason.offer("first");
        this.reason.offer("second");
        assertThat(this.reason.message(true)).isEqualTo("first");
        this.reason.goingAway("restarting");
        assertThat(this.reason.get()).isEqualTo("127.0.0.1:7002 is going away: restarting");
        this.reason.connectFailed(new IOException());
        assertThat(this.reason.get()).isEqualTo("cannot connect to 127.0.0.1:7002: IOException");
        this.reason.tlsHandshakeFailed(new javax.net.ssl.SSLHandshakeException("bad certificate"));
        assertThat(this.reason.message(false)).isEqualTo("TLS handshake with 127.0.0.1:7002 failed: bad certificate");
    }

    @Test
    void aProtocolErrorClosesWithAGoAwayAndReplacesTheReason() {
        this.reason.offer("earlier");
        this.reason.exceptionCaught(this.ctx, new DecoderException(new ProtocolException("bad frame")));
        assertThat(goAway()).isEqualTo(Status.PROTOCOL_ERROR + ": bad frame");
        assertThat(this.reason.get()).isEqualTo("protocol error from 127.0.0.1:7002: bad frame");
    }

    @Test
    void anIdleOrFrameReadTimeoutClosesWithAGoAwayAndAKeepAliveTimeoutAtOnce() {
        this.reason.exceptionCaught(this.ctx, new ConnectionTimeoutException(ConnectionTimeoutException.Kind.IDLE, "idle for 5 s"));
        assertThat(goAway()).isEqualTo(Status.UNAVAILABLE + ": idle for 5 s");
        assertThat(this.reason.get()).isEqualTo("connection to 127.0.0.1:7002 closed: idle for 5 s");

        EmbeddedChannel other = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
        ClientCloseReason keepAlive = new ClientCloseReason(Endpoint.parse("127.0.0.1:7002"));
        keepAlive.exceptionCaught(other.pipeline().firstContext(),
                new ConnectionTimeoutException(ConnectionTimeoutException.Kind.KEEPALIVE, "no PONG"));
        assertThat((Object) other.readOutbound()).isNull();
        assertThat(other.isOpen()).isFalse();
        assertThat(keepAlive.get()).isEqualTo("connection to 127.0.0.1:7002 closed: no PONG");
    }

    @Test
    void aTlsFailureIsNamedAndClosesAtOnce() {
        this.reason.exceptionCaught(this.ctx, new DecoderException(new javax.net.ssl.SSLException("record overflow")));
        assertThat(goAway()).isNull();
        assertThat(this.channel.isOpen()).isFalse();
        assertThat(this.reason.get()).isEqualTo("TLS with 127.0.0.1:7002 failed: record overflow");
    }

    @Test
    void anyOtherFailureClosesAtOnceAndKeepsAnEarlierReason() {
        this.reason.exceptionCaught(this.ctx, new IOException("reset by peer"));
        assertThat(this.channel.isOpen()).isFalse();
        assertThat(this.reason.get()).isEqualTo("connection to 127.0.0.1:7002 failed: reset by peer");
        this.reason.exceptionCaught(this.ctx, new IOException("later"));
        assertThat(this.reason.get()).isEqualTo("connection to 127.0.0.1:7002 failed: reset by peer");
    }
}
