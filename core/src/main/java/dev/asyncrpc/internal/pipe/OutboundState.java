package dev.asyncrpc.internal.pipe;

/**
 * Where a sending pipe end stands, and the transitions between the states:
 *
 * <pre>
 * OPEN --close()--> CLOSING --end written--> ENDED
 * OPEN, CLOSING --abort()--> ABORTING --abort written--> ABORTED
 * any but ENDED, ABORTED --call ended, cancelled, connection lost--> FAILED
 * </pre>
 */
enum OutboundState {

    /** Pushes are taken. */
    OPEN("open"),

    /** {@code close()} (or a failed publisher's abort) is queued after the data. */
    CLOSING("closing"),

    /** {@code abort()} is queued after the accepted data; later pushes were dropped. */
    ABORTING("aborting"),

    /** The end was written. */
    ENDED("closed"),

    /** The abort was written. */
    ABORTED("aborted"),

    /** The call ended, was cancelled, or the connection was lost: nothing more is written. */
    FAILED("failed");

    private final String label;

    OutboundState(String label) {
        this.label = label;
    }

    String label() {
        return this.label;
    }

    /** Whether pushes are taken. */
    boolean isOpen() {
        return this == OPEN;
    }

    /** Whether the pipe was aborted (the abort may still be queued). */
    boolean isAborted() {
        return this == ABORTING || this == ABORTED;
    }

    /** Whether the end or the abort is queued but not yet written. */
    boolean isEnding() {
        return this == CLOSING || this == ABORTING;
    }

    /** Whether nothing more will be written: the end or abort went out, or the pipe failed. */
    boolean isFinished() {
        return this == ENDED || this == ABORTED || this == FAILED;
    }

    /** Whether encoded data is refused (dropped): the pipe failed or was aborted. */
    boolean refusesData() {
        return this == FAILED || isAborted();
    }

    /** Whether {@link #aborting()} applies: the pipe is open or closing. */
    boolean canAbort() {
        return this == OPEN || this == CLOSING;
    }

    /** {@code close()}: from OPEN. @throws IllegalStateException from any other state */
    OutboundState closing() {
        if (this != OPEN) {
            throw new IllegalStateException("close from " + this.label);
        }
        return CLOSING;
    }

    /** {@code abort()}: from OPEN or CLOSING. @throws IllegalStateException from any other state */
    OutboundState aborting() {
        if (!canAbort()) {
            throw new IllegalStateException("abort from " + this.label);
        }
        return ABORTING;
    }

    /** The queued end or abort was written. @throws IllegalStateException if none was queued */
    OutboundState written() {
        return switch (this) {
            case CLOSING -> ENDED;
            case ABORTING -> ABORTED;
            default -> throw new IllegalStateException("end written from " + this.label);
        };
    }
}
