package dev.asyncrpc.internal.codec;

/** A value could not be encoded or decoded. */
public final class CodecException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CodecException(String message, Throwable cause) {
        super(message, cause);
    }
}
