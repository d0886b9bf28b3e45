package dev.asyncrpc;

import java.util.Map;
import java.util.Objects;

/**
 * A failed call: a {@link Status}, a message and optional structured details. Delivered through
 * the call handle ({@link AsyncCall#join()}, a future) or thrown by a plain (blocking) proxy method.
 * A failure detected before a call is handed to the transport is thrown by the issuing call itself.
 */
public class RemoteCallException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final Status status;

    private final String description;

    private final transient Map<String, String> details;

    /**
     * Create an exception.
     * @param status the status
     * @param message the message
     */
    public RemoteCallException(Status status, String message) {
        this(status, message, Map.of(), null);
    }

    /**
     * Create an exception.
     * @param status the status
     * @param message the message
     * @param details structured details (never {@code null})
     * @param cause the cause, or {@code null}
     */
    public RemoteCallException(Status status, String message, Map<String, String> details, Throwable cause) {
        super(status + ": " + message, cause);
        this.status = Objects.requireNonNull(status, "status");
        this.description = (message != null) ? message : "";
        this.details = Map.copyOf(details);
    }

    /**
     * The status.
     * @return the status
     */
    public Status status() {
        return this.status;
    }

    /**
     * The message without the status prefix (what the peer sent).
     * @return the description
     */
    public String description() {
        return this.description;
    }

    /**
     * Structured details sent by the peer (empty when there are none).
     * @return the details
     */
    public Map<String, String> details() {
        return this.details;
    }

    /**
     * Whether a retry is safe for this failure.
     * @return {@code status().isRetrySafe()}
     */
    public boolean isRetrySafe() {
        return this.status.isRetrySafe();
    }
}
