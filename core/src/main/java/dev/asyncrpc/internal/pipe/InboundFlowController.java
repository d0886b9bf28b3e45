package dev.asyncrpc.internal.pipe;

/**
 * The receiving side's flow control for one pipe: the sender may have at most {@link #window()}
 * bytes unacknowledged. Each PIPE_DATA frame spends its size from the allowance; a frame larger
 * than the allowance is an overrun. Consumed bytes are granted back in one CREDIT frame once half
 * the window has been consumed, so a pipe costs one CREDIT per half window rather than one per
 * frame. After {@link #stop()} nothing more is granted (the pipe ended or nobody reads it).
 *
 * <p>A plain object, not thread-safe: the receiver calls it under its lock. Modelled on the role of
 * Netty's {@code DefaultHttp2LocalFlowController}, without its per-connection window.
 */
final class InboundFlowController {

    private final int window;
    private long allowance;
    private long consumedSinceGrant;
    private boolean stopped;

    /**
     * @param window this side's pipe window in bytes: the sender's initial credit
     */
    InboundFlowController(int window) {
        if (window <= 0) {
            throw new IllegalArgumentException("window: " + window + " (expected: > 0)");
        }
        this.window = window;
        this.allowance = window;
    }

    int window() {
        return this.window;
    }

    /** Bytes consumed since the last grant that make the next grant: half the window. */
    int grantThreshold() {
        return this.window / 2;
    }

    /** Bytes the sender may still send before it needs more credit. */
    long allowance() {
        return this.allowance;
    }

    /** Bytes sent and not yet granted back: what the sender sees as in flight. */
    long unacknowledged() {
        return this.window - this.allowance;
    }

    /**
     * Account for a received frame of {@code size} bytes.
     * @return {@code false} if the frame overran the allowance (nothing is charged then): the
     *         caller answers with a protocol error
     */
    boolean receive(int size) {
        if (size < 0 || size > this.allowance) {
            return false;
        }
        this.allowance -= size;
        return true;
    }

    /**
     * The application consumed {@code size} bytes of received frames.
     * @return the bytes to grant back now in one CREDIT frame, or 0 while less than half the
     *         window has been consumed since the last grant (or after {@link #stop()})
     */
    long consumed(int size) {
        if (this.stopped) {
            return 0;
        }
        this.consumedSinceGrant += size;
        if (this.consumedSinceGrant < grantThreshold()) {
            return 0;
        }
        long grant = this.consumedSinceGrant;
        this.consumedSinceGrant = 0;
        this.allowance += grant;
        return grant;
    }

    /** Grant nothing more: the pipe ended, failed or was abandoned. */
    void stop() {
        this.stopped = true;
    }
}
