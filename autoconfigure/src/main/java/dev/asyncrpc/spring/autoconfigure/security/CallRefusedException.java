package dev.asyncrpc.spring.autoconfigure.security;

import dev.asyncrpc.Status;

/** Why {@link CallSecurity} refused a call: the status and message the caller gets. */
final class CallRefusedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final Status status;

    CallRefusedException(Status status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    Status status() {
        return this.status;
    }
}
