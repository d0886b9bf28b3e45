package dev.asyncrpc.internal.protocol;

/**
 * A peer broke the protocol; the connection is closed with {@code PROTOCOL_ERROR}. Each carries a
 * short kind (such as {@code frame-length}) by which the server counts protocol errors.
 */
public final class ProtocolException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Kind of an error thrown without one. */
    public static final String OTHER = "other";

    private final String kind;

    public ProtocolException(String message) {
        this(OTHER, message);
    }

    /**
     * @param kind a short lower-case name of what was wrong ({@code frame-length}, {@code frame-type},
     *        {@code handshake}, {@code unexpected-frame}, {@code malformed-frame}, {@code call}, {@code pipe}, ...)
     * @param message what was wrong, in protocol terms
     */
    public ProtocolException(String kind, String message) {
        super(message);
        this.kind = kind;
    }

    /** The kind of error, for counting; {@link #OTHER} when the thrower gave none. */
    public String kind() {
        return this.kind;
    }
}
