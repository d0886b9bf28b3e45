package dev.asyncrpc.internal.client;

import dev.asyncrpc.Status;
import dev.asyncrpc.internal.protocol.Frames;
import dev.asyncrpc.internal.protocol.ProtocolException;
import dev.asyncrpc.internal.transport.ConnectionTimeoutException;
import dev.asyncrpc.internal.transport.Endpoint;
import dev.asyncrpc.internal.transport.GracefulClose;
import io.netty.channel.ChannelHandlerContext;

/**
 * Why a {@link ClientConnection} closed, in the words its failed calls carry, and how it closes on
 * a failure of the channel ({@link #exceptionCaught}): with a GOAWAY when the server may still read
 * it, at once otherwise. A failed connect or TLS handshake, a GOAWAY, a protocol error and the
 * handshake timeout replace the reason recorded; other failures only record one if there is none.
 * Set on the event loop (and by a failed connect), read from any thread.
 */
final class ClientCloseReason {

    private final Endpoint endpoint;
    private volatile String reason;

    ClientCloseReason(Endpoint endpoint) {
        this.endpoint = endpoint;
    }

    /** Record {@code reason}, replacing any. */
    void set(String reason) {
        this.reason = reason;
    }

    /** Record {@code reason} unless one is recorded already. */
    void offer(String reason) {
        if (this.reason == null) {
            this.reason = reason;
        }
    }

    /** The reason recorded, or {@code null}. */
    String get() {
        return this.reason;
    }

    /** A connect attempt failed. */
    void connectFailed(Throwable cause) {
        set("cannot connect to " + this.endpoint + ": " + describe(cause));
    }

    /** The TLS handshake failed. */
    void tlsHandshakeFailed(Throwable cause) {
        set("TLS handshake with " + this.endpoint + " failed: " + describe(cause));
    }

    /** The server said it is going away. */
    void goingAway(String message) {
        set(this.endpoint + " is going away: " + message);
    }

    /** The message of the calls the close fails: the reason recorded, or one that says whether the handshake was done. */
    String message(boolean handshakeDone) {
        String r = this.reason;
        if (r != null) {
            return r;
        }
        return handshakeDone
                ? "connection to " + this.endpoint + " closed"
                : "connection to " + this.endpoint + " closed during the handshake (is it an asyncrpc server, and do both sides agree on TLS?)";
    }

    /**
     * Record why the channel failed and close it: an {@link Error} closes it at once (and is
     * logged); a frame read or idle timeout and a protocol error close it with a GOAWAY; a
     * keep-alive timeout and any other failure close it at once. Nothing happens while it closes
     * with a GOAWAY already.
     */
    void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable c = (cause instanceof io.netty.handler.codec.DecoderException && cause.getCause() != null) ? cause.getCause() : cause;
        if (c instanceof javax.net.ssl.SSLException) {
            offer("TLS with " + this.endpoint + " failed: " + describe(c));
        }
        if (c instanceof Error) {
            System.getLogger(ClientConnection.class.getName()).log(System.Logger.Level.ERROR,
                    "asyncrpc client: " + c + " on the connection to " + this.endpoint + "; closing it", c);
            offer("connection to " + this.endpoint + " failed: " + c);
            ctx.close();
        }
        else if (GracefulClose.isClosing(ctx.channel())) {
            return; // closing with a GOAWAY already
        }
        else if (c instanceof ConnectionTimeoutException te) {
            offer("connection to " + this.endpoint + " closed: " + te.getMessage());
            if (te.kind() == ConnectionTimeoutException.Kind.KEEPALIVE) {
                ctx.close(); // the server is gone or paused: nobody reads a GOAWAY
            }
            else {
                GracefulClose.close(ctx.channel(), Frames.goAway(ctx.alloc(), 0, Status.UNAVAILABLE, te.getMessage()));
            }
        }
        else if (c instanceof ProtocolException) {
            set("protocol error from " + this.endpoint + ": " + c.getMessage());
            GracefulClose.close(ctx.channel(), Frames.goAway(ctx.alloc(), 0, Status.PROTOCOL_ERROR, c.getMessage()));
        }
        else {
            offer("connection to " + this.endpoint + " failed: " + describe(c));
            ctx.close();
        }
    }

    static String describe(Throwable t) {
        String m = t.getMessage();
        return (m != null) ? m : t.getClass().getSimpleName();
    }
}
