package dev.asyncrpc.internal.transport;

/**
 * A connection-layer timer ran out: the connection is to be closed with {@link #getMessage()} as
 * the reason (in the GOAWAY the server sends, and in the calls a client fails with UNAVAILABLE).
 * Raised through {@code exceptionCaught} by the timeout handlers of this package.
 */
public final class ConnectionTimeoutException extends RuntimeException {

    /** Which timer ran out. */
    public enum Kind {
        /** The peer did not read our data (outbound above the high water mark) for too long. */
        WRITE_STALL,
        /** An incomplete frame was held too long. */
        FRAME_READ,
        /** No call and no frame other than PING/PONG for too long. */
        IDLE,
        /** The peer sent nothing within the keepalive timeout after a PING. */
        KEEPALIVE
    }

    private final Kind kind;

    public ConnectionTimeoutException(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return this.kind;
    }
}
