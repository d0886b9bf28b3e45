package dev.asyncrpc.internal.protocol;

/** A peer broke the protocol; the connection is closed with {@code PROTOCOL_ERROR}. */
public final class ProtocolException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ProtocolException(String message) {
        super(message);
    }
}
