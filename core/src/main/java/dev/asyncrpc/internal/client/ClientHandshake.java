package dev.asyncrpc.internal.client;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import dev.asyncrpc.internal.protocol.Frame;
import dev.asyncrpc.internal.protocol.FrameType;
import dev.asyncrpc.internal.protocol.Frames;
import dev.asyncrpc.internal.protocol.ProtocolException;
import dev.asyncrpc.internal.protocol.Settings;
import dev.asyncrpc.internal.transport.Endpoint;
import io.netty.channel.ChannelHandlerContext;

/**
 * The client's side of the handshake of one {@link ClientConnection}: it sends HELLO when the
 * channel becomes active, reads the server's HELLO_ACK (its version and settings), and closes the
 * channel if no HELLO_ACK comes within the handshake timeout. Event loop only.
 */
final class ClientHandshake {

    private final Settings local;
    private final Duration timeout;
    private final Endpoint endpoint;
    private final ClientCloseReason closeReason;

    /** The server's settings, {@code null} until its HELLO_ACK is read. */
    private Settings peer;
    private ScheduledFuture<?> timer;

    /**
     * @param local the client's settings, sent in HELLO
     * @param timeout how long to wait for HELLO_ACK
     * @param closeReason records why the channel closes if the wait times out
     */
    ClientHandshake(Settings local, Duration timeout, Endpoint endpoint, ClientCloseReason closeReason) {
        this.local = local;
        this.timeout = timeout;
        this.endpoint = endpoint;
        this.closeReason = closeReason;
    }

    /** The channel is active: send HELLO (flushed) and start the timeout. */
    void begin(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(Frames.hello(ctx.alloc(), FrameType.HELLO, Frames.VERSION, this.local));
        long millis = this.timeout.toMillis();
        this.timer = ctx.executor().schedule(() -> {
            if (this.peer == null) {
                this.closeReason.set("no asyncrpc handshake from " + this.endpoint + " within " + millis
                        + " ms (is it an asyncrpc server, and do both sides agree on TLS?)");
                ctx.close();
            }
        }, millis, TimeUnit.MILLISECONDS);
    }

    /**
     * Read the server's HELLO_ACK; the timeout stops.
     * @return the server's settings
     * @throws ProtocolException if the handshake is done already or the server chose another version
     */
    Settings onHelloAck(Frame frame) {
        if (this.peer != null) {
            throw new ProtocolException("second HELLO_ACK");
        }
        Frames.Hello hello = Frames.readHello(frame.payload());
        if (hello.version() != Frames.VERSION) {
            throw new ProtocolException("server chose unsupported protocol version " + hello.version());
        }
        Settings settings = hello.settings();
        this.peer = settings;
        stop();
        return settings;
    }

    /** Whether the server's HELLO_ACK was read. */
    boolean isDone() {
        return this.peer != null;
    }

    /** Whether both sides announced METADATA_REUSE; only once the handshake is done. */
    boolean metadataReuse() {
        return Settings.metadataReuse(this.local, this.peer);
    }

    /** Stop the timeout (the handshake is done, or the channel closed). */
    void stop() {
        if (this.timer != null) {
            this.timer.cancel(false);
        }
    }
}
