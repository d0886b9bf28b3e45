package dev.asyncrpc.internal.pipe;

/**
 * Where a receiving pipe end stands. Data that arrived before an end or a failure is always
 * delivered before it: {@link #CLOSED} and {@link #FAILED} keep the buffered elements until they
 * are pulled.
 */
enum InboundState {

    /** Data may arrive. */
    OPEN("open"),

    /** The sender's PIPE_END (closed) arrived; buffered elements remain to pull, then the end. */
    CLOSED("closed"),

    /**
     * The pipe failed: the sender aborted, the call ended or was cancelled, or the connection was
     * lost. Buffered elements remain to pull, then the failure.
     */
    FAILED("failed"),

    /**
     * The buffered elements were released unread (the subscriber cancelled, an element could not
     * be decoded, the pipe was dropped after its call, or the runtime closed); a pull throws the
     * failure.
     */
    DISCARDED("discarded");

    private final String label;

    InboundState(String label) {
        this.label = label;
    }

    String label() {
        return this.label;
    }
}
