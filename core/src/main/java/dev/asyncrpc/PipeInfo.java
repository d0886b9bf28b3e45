package dev.asyncrpc;

import java.time.Duration;

/**
 * A read-only snapshot of one open pipe end, as registered with a client or server runtime.
 *
 * @param operation the operation, {@code service/operation}
 * @param callId the call id on its connection
 * @param index the pipe's index among the operation's pipes
 * @param direction {@link Direction#IN} (caller to implementer) or {@link Direction#OUT}
 * @param sending whether this end sends (the caller's in-pipe, the implementer's out-pipe)
 * @param elements elements sent (sending end) or received (receiving end) so far
 * @param bytes pipe bytes sent or received so far, as counted against credit
 * @param window the credit window of the pipe, in bytes (the receiving side's setting)
 * @param unacknowledgedBytes bytes sent (or received) for which credit has not been returned yet;
 *        never more than {@code window}
 * @param bufferedBytes encoded bytes waiting in this end: not yet sent, or not yet consumed
 * @param stalled total time the sending end waited for credit with data to send (zero for a
 *        receiving end)
 */
public record PipeInfo(String operation, int callId, int index, Direction direction, boolean sending, long elements,
        long bytes, int window, long unacknowledgedBytes, long bufferedBytes, Duration stalled) {

    /** Which way a pipe's data flows. */
    public enum Direction {
        /** Caller to implementer ({@link InPipe}). */
        IN,
        /** Implementer to caller ({@link OutPipe}). */
        OUT
    }
}
