package dev.asyncrpc.internal.pipe;

/** Where a sending pipe end stands. */
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
}
