package dev.asyncrpc.internal.pipe;

import java.time.Duration;

import dev.asyncrpc.PipeInfo;
import dev.asyncrpc.internal.protocol.ProtocolException;
import io.netty.buffer.ByteBuf;

/**
 * What arrives at one receiving end attached to a call, checked and counted: a PIPE_DATA frame
 * after the sender's PIPE_END, or beyond the credit the end has left ({@link InboundFlowController}),
 * is a protocol error, and so is a second PIPE_END; every PIPE_DATA within the window is counted
 * (elements and bytes), whether it is kept or dropped because the end already failed. Stops the
 * window's grants once the end is over, and describes the end for {@link PipeInfo} from these
 * counts.
 *
 * <p>A plain object, not thread-safe: the receiver calls it under its monitor, after
 * {@link #attach}.
 */
final class InboundArrivals {

    private final InboundLifecycle life;
    private PipeIdentity identity;
    private int callId;
    private InboundFlowController flow;
    private long elements;
    private long bytes;

    InboundArrivals(InboundLifecycle life) {
        this.life = life;
    }

    /** The end is attached to call {@code callId} with {@code flow} as its window. */
    void attach(PipeIdentity identity, int callId, InboundFlowController flow) {
        this.identity = identity;
        this.callId = callId;
        this.flow = flow;
    }

    /** Grant nothing more: the end ended, failed or was abandoned (nothing to stop before {@link #attach}). */
    void stopGrants() {
        if (this.flow != null) {
            this.flow.stop();
        }
    }

    /**
     * A PIPE_DATA payload of {@code count} elements arrived. Takes ownership of {@code payload}: it
     * is released unless this returns {@code true}.
     * @param size the bytes counted against credit (the whole payload)
     * @return whether the receiver keeps the payload: the end is still open
     * @throws ProtocolException if the data came after the sender's end or overran the credit
     */
    boolean data(ByteBuf payload, int count, int size) {
        if (this.life.endReceived()) {
            payload.release();
            throw new ProtocolException("PIPE_DATA after PIPE_END on " + where());
        }
        if (!this.flow.receive(size)) {
            payload.release();
            throw new ProtocolException(where() + " overran its credit: " + size + " bytes sent with " + this.flow.allowance()
                    + " bytes of credit left (window " + this.flow.window() + ")");
        }
        this.bytes += size;
        this.elements += count;
        if (!this.life.isOpen()) {
            payload.release(); // after a failure nothing more is delivered
            return false;
        }
        return true;
    }

    /**
     * Buffered bytes at which the consumer is woken at once rather than at the end of the read
     * batch: what its next credit grant takes (half the window), so that the grant goes back while
     * the rest of the batch is read. Called after a successful {@link #data}.
     */
    int grantThreshold() {
        return this.flow.grantThreshold();
    }

    /**
     * A PIPE_END arrived (check only; the receiver then tells its {@link InboundLifecycle}).
     * @throws ProtocolException if the sender's end had arrived already
     */
    void end() {
        if (this.life.endReceived()) {
            throw new ProtocolException("second PIPE_END on " + where());
        }
    }

    private String where() {
        return "pipe " + this.identity.index() + " of call " + this.callId + " (" + this.identity.operation() + ")";
    }

    /**
     * The end as the registry shows it.
     * @param identity the end's identity (known once bound, before {@link #attach})
     * @param buffered the bytes held unread
     */
    PipeInfo info(PipeIdentity identity, PipeInfo.Direction direction, long buffered) {
        InboundFlowController f = this.flow;
        int window = (f != null) ? f.window() : 0;
        long unacknowledged = (f != null) ? f.unacknowledged() : 0;
        return new PipeInfo(identity.operation(), this.callId, identity.index(), direction, false, this.elements, this.bytes, window,
                unacknowledged, buffered, Duration.ZERO);
    }
}
