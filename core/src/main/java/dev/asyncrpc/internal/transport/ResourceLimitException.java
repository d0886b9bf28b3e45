package dev.asyncrpc.internal.transport;

/**
 * A peer asked for more of a server-wide resource than the server can ever give one connection (a
 * frame larger than the part of the memory budget frames may use): the connection is closed with a
 * GOAWAY ({@code RESOURCE_EXHAUSTED}) carrying {@link #getMessage()}.
 */
public final class ResourceLimitException extends RuntimeException {

    public ResourceLimitException(String message) {
        super(message, null, false, false);
    }
}
