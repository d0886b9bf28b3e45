package dev.asyncrpc.internal.pipe;

/**
 * The credit a receiving end owes its sender and whether a CREDIT frame is already on its way to
 * the event loop: the application thread that consumes bytes collects the grant
 * ({@link #consumed}), and schedules one write for it; the loop takes what has collected by then
 * ({@link #take}). Consumed bytes become a grant once half the window has been consumed
 * ({@link InboundFlowController}).
 *
 * <p>A plain object, not thread-safe: the receiver calls it under its monitor.
 */
final class CreditGrants {

    private final InboundFlowController flow;
    private long pending;
    private boolean scheduled;

    CreditGrants(InboundFlowController flow) {
        this.flow = flow;
    }

    InboundFlowController flow() {
        return this.flow;
    }

    /**
     * The application consumed {@code bytes}.
     * @return whether the caller must schedule the write of a CREDIT frame: there is a grant and
     *         no write is scheduled yet
     */
    boolean consumed(int bytes) {
        long g = this.flow.consumed(bytes);
        if (g <= 0) {
            return false;
        }
        this.pending += g;
        if (this.scheduled) {
            return false;
        }
        this.scheduled = true;
        return true;
    }

    /** The scheduled write runs: the bytes to grant now (0: none), and the next grant schedules a write again. */
    long take() {
        long g = this.pending;
        this.pending = 0;
        this.scheduled = false;
        return g;
    }

    /** Bytes collected and not written yet. */
    long pending() {
        return this.pending;
    }
}
