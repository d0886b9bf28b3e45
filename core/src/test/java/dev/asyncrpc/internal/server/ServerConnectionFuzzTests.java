package dev.asyncrpc.internal.server;

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.asyncrpc.CallObserver;
import dev.asyncrpc.internal.codec.Codecs;
import dev.asyncrpc.internal.protocol.FrameDecoder;
import dev.asyncrpc.internal.protocol.FrameType;
import dev.asyncrpc.internal.protocol.ProtocolException;
import dev.asyncrpc.internal.protocol.Settings;
import dev.asyncrpc.internal.transport.Endpoint;
import dev.asyncrpc.internal.transport.Transports;
import dev.asyncrpc.test.FuzzPipes;
import dev.asyncrpc.test.PlainCalc;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import org.junit.jupiter.api.AfterAll;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the server's side of a connection (the frame decoder and {@link ServerConnection} on an
 * {@link EmbeddedChannel}): HELLO, CALL and pipe-frame parsing, call dispatch, pipes and cancels,
 * with services {@code calc} and {@code p}. Implementations run on the channel's thread (a direct
 * executor), so a run is deterministic. Whatever the bytes: nothing escapes the pipeline, every
 * frame the server writes is well formed and of a type a server sends, and once the connection
 * closes no call and no pipe is left open and every buffer is released. The committed inputs
 * ({@code ServerConnectionFuzzTestsInputs/}) run as regression tests in every build.
 */
class ServerConnectionFuzzTests {

    /** Small limits, so that inputs reach them: 4 KiB frames, 8 calls, 1 KiB pipe window. */
    static final Settings SETTINGS = Settings.DEFAULTS.withMaxFrameSize(4096).withMaxConcurrentCalls(8).withInitialPipeWindow(1024);

    private static final ServerRuntime RUNTIME = new ServerRuntime(new Endpoint(Endpoint.Kind.TCP, "127.0.0.1", 0, null),
            ServiceRegistry.of(List.of(new PlainCalc(), new FuzzPipes.Endpoint()), new Codecs(SETTINGS.maxFrameSize())), SETTINGS,
            new DirectExecutor(), false, new Transports("fuzz", 1), true, null, io.netty.handler.ssl.ClientAuth.NONE, CallObserver.NONE);

    @AfterAll
    static void close() {
        RUNTIME.close();
    }

    @FuzzTest(maxDuration = "2m")
    void connection(byte[] input) {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(SETTINGS.maxFrameSize()), new ServerConnection(RUNTIME));
        try {
            // in two reads, so that a frame may span them and calls arrive in more than one batch
            int half = input.length / 2;
            write(ch, input, 0, half);
            write(ch, input, half, input.length - half);
            ch.close();
            drainOutbound(ch);
        }
        finally {
            ch.finishAndReleaseAll();
        }
        assertThat(RUNTIME.activeCalls()).as("calls in progress after the connection closed").isZero();
        assertThat(RUNTIME.pipes().snapshot()).as("open pipes after the connection closed").isEmpty();
    }

    private static void write(EmbeddedChannel ch, byte[] input, int from, int length) {
        if (!ch.isOpen()) {
            return;
        }
        ByteBuf buf = Unpooled.directBuffer(Math.max(length, 1));
        buf.writeBytes(input, from, length);
        try {
            ch.writeInbound(buf); // an exception that escapes the pipeline is a finding...
        }
        catch (DecoderException ex) {
            // ...except one case: an EmbeddedChannel closes at once when the server's GOAWAY is written
            // (a socket only shuts its output down), and that takes the handlers out of the pipeline,
            // so a frame error further in the same read reaches its tail
            assertThat(ch.isOpen()).as("channel open when " + ex + " escaped").isFalse();
            assertThat(ex.getCause()).isInstanceOf(ProtocolException.class);
        }
        drainOutbound(ch);
    }

    /** Run what the connection queued and check and release every frame it wrote. */
    private static void drainOutbound(EmbeddedChannel ch) {
        for (int round = 0; round < 100; round++) {
            ch.runPendingTasks();
            Object out = ch.readOutbound();
            if (out == null) {
                return;
            }
            do {
                ByteBuf frame = (ByteBuf) out;
                try {
                    assertThat(frame.readableBytes()).as("frame size").isGreaterThanOrEqualTo(10);
                    assertThat(frame.getUnsignedInt(frame.readerIndex())).as("length field").isEqualTo(frame.readableBytes() - 4L);
                    FrameType type = FrameType.fromCode(frame.getUnsignedByte(frame.readerIndex() + 4));
                    assertThat(type).as("type of a frame the server wrote")
                            .isIn(FrameType.HELLO_ACK, FrameType.REPLY, FrameType.ERROR, FrameType.PIPE_DATA, FrameType.PIPE_END,
                                    FrameType.CREDIT, FrameType.PONG, FrameType.GOAWAY);
                }
                finally {
                    frame.release();
                }
            }
            while ((out = ch.readOutbound()) != null);
        }
        throw new AssertionError("the connection went on writing after 100 rounds");
    }

    /** Runs every task at once, on the calling thread. */
    static final class DirectExecutor extends AbstractExecutorService {
        @Override
        public void execute(Runnable command) {
            command.run();
        }

        @Override
        public void shutdown() {
        }

        @Override
        public List<Runnable> shutdownNow() {
            return List.of();
        }

        @Override
        public boolean isShutdown() {
            return false;
        }

        @Override
        public boolean isTerminated() {
            return false;
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return true;
        }
    }
}
