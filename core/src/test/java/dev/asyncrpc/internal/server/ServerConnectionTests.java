package dev.asyncrpc.internal.server;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.asyncrpc.CallObserver;
import dev.asyncrpc.Status;
import dev.asyncrpc.internal.codec.Codecs;
import dev.asyncrpc.internal.protocol.FrameDecoder;
import dev.asyncrpc.internal.protocol.FrameType;
import dev.asyncrpc.internal.protocol.Settings;
import dev.asyncrpc.internal.transport.Endpoint;
import dev.asyncrpc.internal.transport.ReadBackoff;
import dev.asyncrpc.internal.transport.ReadGate;
import dev.asyncrpc.internal.transport.Transports;
import dev.asyncrpc.test.HostileEndpoint;
import dev.asyncrpc.test.RawPeer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ServerConnection} behind a {@link ReadGate} and a {@link FrameDecoder}, as the server's
 * pipeline has them, on an {@link EmbeddedChannel}; implementations run on the channel's thread.
 */
class ServerConnectionTests {

    /** 4 calls in progress per connection, so that a few calls reach the limit. */
    static final Settings SETTINGS = Settings.DEFAULTS.withMaxConcurrentCalls(4);

    private static final HostileEndpoint HOSTILE = new HostileEndpoint();

    private static final ServerRuntime RUNTIME = new ServerRuntime(new Endpoint(Endpoint.Kind.TCP, "127.0.0.1", 0, null),
            ServiceRegistry.of(List.of(HOSTILE), new Codecs(SETTINGS.maxFrameSize())), SETTINGS, new ServerConnectionFuzzTests.DirectExecutor(),
            false, new Transports("connection-tests", 1), true, null, io.netty.handler.ssl.ClientAuth.NONE, CallObserver.NONE);

    private final ReadGate gate = new ReadGate();
    private final EmbeddedChannel ch = new EmbeddedChannel();
    private int nextCallId = 1;

    ServerConnectionTests() {
        this.ch.freezeTime();
        this.ch.pipeline().addLast(this.gate, new FrameDecoder(SETTINGS.maxFrameSize(), ServerBudgets.FRAMES_PER_TURN, this.gate),
                new ServerConnection(RUNTIME));
        write(RawPeer.hello(1 << 20));
        assertThat(frames()).containsExactly("HELLO_ACK");
    }

    @AfterEach
    void closeChannel() {
        this.ch.close();
        this.ch.runPendingTasks();
        frames();
        this.ch.finishAndReleaseAll();
        assertThat(RUNTIME.activeCalls()).as("calls in progress after the connection closed").isZero();
    }

    @AfterAll
    static void close() {
        RUNTIME.close();
        HOSTILE.close();
    }

    private void write(byte[]... frames) {
        ByteBuf in = Unpooled.buffer();
        for (byte[] f : frames) {
            in.writeBytes(f);
        }
        this.ch.writeInbound(in);
    }

    /** A call that stays in progress (its timer would answer in 10 minutes). */
    private byte[] pendingCall() {
        return RawPeer.call(this.nextCallId++, "hostile/greetLater", RawPeer.cborText("x"), RawPeer.cborInt(600_000));
    }

    /** The frames written so far, as "TYPE" or "ERROR status" (released). */
    private List<String> frames() {
        List<String> out = new ArrayList<>();
        ByteBuf f;
        while ((f = this.ch.readOutbound()) != null) {
            try {
                FrameType type = FrameType.fromCode(f.getUnsignedByte(f.readerIndex() + 4));
                out.add(type == FrameType.ERROR ? "ERROR " + Status.fromCode(f.getUnsignedShort(f.readerIndex() + 10)) : type.name());
            }
            finally {
                f.release();
            }
        }
        return out;
    }

    private void advance(long millis) {
        this.ch.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
        this.ch.runScheduledPendingTasks();
    }

    @Test
    void callsWithinTheLimitLeaveReadingAlone() {
        write(pendingCall(), pendingCall(), pendingCall(), pendingCall());
        assertThat(frames()).isEmpty();
        assertThat(this.ch.config().isAutoRead()).isTrue();
    }

    @Test
    void callsRefusedOverTheLimitPauseReadingForAWhile() {
        write(pendingCall(), pendingCall(), pendingCall(), pendingCall(), pendingCall());
        assertThat(frames()).containsExactly("ERROR RESOURCE_EXHAUSTED");
        assertThat(this.gate.isPaused(ReadGate.REFUSED)).isTrue();
        assertThat(this.ch.config().isAutoRead()).isFalse();
        advance(ReadBackoff.MIN_DELAY_MILLIS);
        assertThat(this.ch.config().isAutoRead()).isTrue();
        write(pendingCall());
        assertThat(frames()).containsExactly("ERROR RESOURCE_EXHAUSTED");
        advance(ReadBackoff.MIN_DELAY_MILLIS);
        assertThat(this.ch.config().isAutoRead()).as("the second pause in a row is twice as long").isFalse();
        advance(ReadBackoff.MIN_DELAY_MILLIS);
        assertThat(this.ch.config().isAutoRead()).isTrue();
    }

    @Test
    void framesReadBeforeAGracefulCloseAndHandedOnAfterItStartedAreIgnored() {
        List<ByteBuf> unsent = new ArrayList<>();
        this.ch.pipeline().addFirst(new io.netty.channel.ChannelOutboundHandlerAdapter() {
            @Override
            public void write(io.netty.channel.ChannelHandlerContext ctx, Object msg, io.netty.channel.ChannelPromise promise) {
                unsent.add((ByteBuf) msg); // never written: the channel stays open, as a socket does until the GOAWAY is out
            }
        });
        // one read: a CALL with call id 0 (a protocol error: GOAWAY and a graceful close), then a good CALL
        write(RawPeer.call(0, "hostile/greetLater", RawPeer.cborText("x"), RawPeer.cborInt(600_000)), pendingCall());
        assertThat(this.ch.isActive()).isTrue();
        assertThat(unsent).hasSize(1);
        assertThat(FrameType.fromCode(unsent.get(0).getUnsignedByte(4))).isEqualTo(FrameType.GOAWAY);
        assertThat(RUNTIME.activeCalls()).as("the CALL after the error did not start").isZero();
        unsent.forEach(ByteBuf::release);
    }
}
