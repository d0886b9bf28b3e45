package dev.asyncrpc;

import java.time.Duration;

/**
 * Cumulative pipe totals of one client or server runtime since it was built: the pipes that have
 * ended plus the ones open now. Every field only grows, so they suit counters (rates over time).
 * Elements and bytes are what this runtime's pipe ends sent or received, counted by the pipe's
 * direction; bytes are counted as against credit.
 *
 * @param inElements elements of in-pipes (caller to implementer) sent or received
 * @param inBytes bytes of in-pipes sent or received
 * @param outElements elements of out-pipes (implementer to caller) sent or received
 * @param outBytes bytes of out-pipes sent or received
 * @param stalled time this runtime's sending ends waited for credit with data to send
 * @param pipesOpened pipe ends that have been opened (attached to a call on a connection)
 */
public record PipeTotals(long inElements, long inBytes, long outElements, long outBytes, Duration stalled,
        long pipesOpened) {

    /** No pipe yet. */
    public static final PipeTotals ZERO = new PipeTotals(0, 0, 0, 0, Duration.ZERO, 0);

    /**
     * The elements of one direction.
     * @param direction the direction
     * @return {@link #inElements()} or {@link #outElements()}
     */
    public long elements(PipeInfo.Direction direction) {
        return (direction == PipeInfo.Direction.IN) ? this.inElements : this.outElements;
    }

    /**
     * The bytes of one direction.
     * @param direction the direction
     * @return {@link #inBytes()} or {@link #outBytes()}
     */
    public long bytes(PipeInfo.Direction direction) {
        return (direction == PipeInfo.Direction.IN) ? this.inBytes : this.outBytes;
    }
}
