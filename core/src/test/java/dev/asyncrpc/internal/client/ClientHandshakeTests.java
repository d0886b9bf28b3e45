package dev.asyncrpc.internal.client;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.asyncrpc.internal.protocol.Frame;
import dev.asyncrpc.internal.protocol.FrameType;
import dev.asyncrpc.internal.protocol.Frames;
import dev.asyncrpc.internal.protocol.ProtocolException;
import dev.asyncrpc.internal.protocol.Settings;
import dev.asyncrpc.internal.transport.Endpoint;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The client's side of the handshake on an {@link EmbeddedChannel}: HELLO, HELLO_ACK, the timeout. */
class ClientHandshakeTests {

    private static final Settings LOCAL = Settings.DEFAULTS.withMaxConcurrentCalls(7);

    private final EmbeddedChannel channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
    private final Endpoint endpoint = Endpoint.parse("127.0.0.1:7001");
    private final ClientCloseReason closeReason = new ClientCloseReason(this.endpoint);
    private final ClientHandshake handshake = new ClientHandshake(LOCAL, Duration.ofSeconds(3), this.endpoint, this.closeReason);

    ClientHandshakeTests() {
        this.channel.freezeTime();
    }

    private static Frame helloAck(int version, Settings settings) {
        ByteBuf frame = Frames.hello(ByteBufAllocator.DEFAULT, FrameType.HELLO_ACK, version, settings);
        ByteBuf payload = frame.retainedSlice(frame.readerIndex() + Frames.HEADER, frame.readableBytes() - Frames.HEADER);
        frame.release();
        return new Frame(FrameType.HELLO_ACK, 0, 0, payload);
    }

    private Settings ack(int version, Settings settings) {
        Frame frame = helloAck(version, settings);
        try {
            return this.handshake.onHelloAck(frame);
        }
        finally {
            frame.release();
        }
    }

    private void begin() {
        this.handshake.begin(this.channel.pipeline().firstContext());
        ByteBuf hello = this.channel.readOutbound();
        assertThat(FrameType.fromCode(hello.getByte(hello.readerIndex() + Frames.LENGTH_FIELD))).isEqualTo(FrameType.HELLO);
        Frames.Hello sent = Frames.readHello(hello.skipBytes(Frames.HEADER));
        hello.release();
        assertThat(sent).isEqualTo(new Frames.Hello(Frames.VERSION, LOCAL));
    }

    @AfterEach
    void nothingElseWritten() {
        assertThat(this.channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void helloGoesOutFlushedWithTheClientsSettingsAndTheAckGivesTheServers() {
        begin();
        assertThat(this.handshake.isDone()).isFalse();
        Settings server = Settings.DEFAULTS.withMaxConcurrentCalls(3);

        assertThat(ack(Frames.VERSION, server)).isEqualTo(server);

        assertThat(this.handshake.isDone()).isTrue();
        this.channel.advanceTimeBy(3, TimeUnit.SECONDS);
        this.channel.runScheduledPendingTasks();
        assertThat(this.channel.isOpen()).isTrue();
        assertThat(this.closeReason.get()).isNull();
    }

    @Test
    void withoutAnAckWithinTheTimeoutTheChannelClosesNamingTheEndpointAndTheTimeout() {
        begin();
        this.channel.advanceTimeBy(2999, TimeUnit.MILLISECONDS);
        this.channel.runScheduledPendingTasks();
        assertThat(this.channel.isOpen()).isTrue();
        this.channel.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        this.channel.runScheduledPendingTasks();
        assertThat(this.channel.isOpen()).isFalse();
        assertThat(this.closeReason.get()).isEqualTo("no asyncrpc handshake from 127.0.0.1:7001 within 3000 ms"
                + " (is it an asyncrpc server, and do both sides agree on TLS?)");
        assertThat(this.handshake.isDone()).isFalse();
    }

    @Test
    void stoppingEndsTheTimeout() {
        begin();
        this.handshake.stop();
        this.channel.advanceTimeBy(3, TimeUnit.SECONDS);
        this.channel.runScheduledPendingTasks();
        assertThat(this.channel.isOpen()).isTrue();
    }

    @Test
    void aSecondAckIsAProtocolError() {
        begin();
        ack(Frames.VERSION, Settings.DEFAULTS);
        assertThatThrownBy(() -> ack(Frames.VERSION, Settings.DEFAULTS)).isInstanceOf(ProtocolException.class).hasMessage("second HELLO_ACK");
    }

    @Test
    void anotherVersionIsAProtocolErrorAndTheHandshakeIsNotDone() {
        begin();
        assertThatThrownBy(() -> ack(Frames.VERSION + 1, Settings.DEFAULTS)).isInstanceOf(ProtocolException.class)
                .hasMessage("server chose unsupported protocol version " + (Frames.VERSION + 1));
        assertThat(this.handshake.isDone()).isFalse();
    }

    @Test
    void metadataIsReusedOnlyIfBothSidesAnnounceIt() {
        begin();
        ack(Frames.VERSION, Settings.DEFAULTS.withMetadataReuse(true));
        assertThat(this.handshake.metadataReuse()).isTrue();

        ClientHandshake off = new ClientHandshake(LOCAL, Duration.ofSeconds(3), this.endpoint, this.closeReason);
        Frame frame = helloAck(Frames.VERSION, Settings.DEFAULTS.withMetadataReuse(false));
        off.onHelloAck(frame);
        frame.release();
        assertThat(off.metadataReuse()).isFalse();
    }
}
