package dev.asyncrpc.internal.transport;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.util.concurrent.EventExecutor;

/**
 * Slows reading from a connection whose calls keep being refused because a budget is spent (its
 * own limit of calls in progress, the server-wide one, the memory budget). Reading more from such a
 * peer only costs the event loop work for more refusals, time taken from the other connections on
 * it. After a read batch (a turn) in which a call was refused, reading pauses through the
 * {@link ReadGate} ({@link ReadGate#REFUSED}) for {@link #MIN_DELAY_MILLIS}; each following turn
 * with a refusal doubles the pause, up to {@link #MAX_DELAY_MILLIS}; a turn without one starts over.
 * A peer flooding calls that are refused thus gets at most one turn's worth of frames handled per
 * pause, while a client refused now and then loses at most a short pause. Event loop only.
 */
public final class ReadBackoff {

    /** The first pause after a turn with a refused call. */
    public static final long MIN_DELAY_MILLIS = 10;

    /** The longest pause. */
    public static final long MAX_DELAY_MILLIS = 1_000;

    private final ReadGate gate;
    private final EventExecutor executor;
    private boolean refusedThisTurn;
    private long delayMillis;
    private ScheduledFuture<?> timer;
    private long pauses;

    /**
     * @param gate the connection's gate, or {@code null} (nothing is paused then)
     * @param executor the connection's event loop
     */
    public ReadBackoff(ReadGate gate, EventExecutor executor) {
        this.gate = gate;
        this.executor = executor;
    }

    /** A call of this turn was refused because a budget is spent. */
    public void refused() {
        this.refusedThisTurn = true;
    }

    /** A turn ended: pause reading if a call was refused in it. */
    public void turnEnded() {
        if (!this.refusedThisTurn) {
            this.delayMillis = 0;
            return;
        }
        this.refusedThisTurn = false;
        this.delayMillis = (this.delayMillis == 0) ? MIN_DELAY_MILLIS : Math.min(MAX_DELAY_MILLIS, this.delayMillis * 2);
        if (this.gate == null || this.timer != null) {
            return;
        }
        this.pauses++;
        this.gate.pause(ReadGate.REFUSED);
        this.timer = this.executor.schedule(() -> {
            this.timer = null;
            this.gate.resume(ReadGate.REFUSED);
        }, this.delayMillis, TimeUnit.MILLISECONDS);
    }

    /** The pause that followed the last turn, or 0 if no call was refused in it. */
    public long delayMillis() {
        return this.delayMillis;
    }

    /** Pauses since start. */
    public long pauses() {
        return this.pauses;
    }

    /** The connection is gone: no more pauses end. */
    public void stop() {
        if (this.timer != null) {
            this.timer.cancel(false);
            this.timer = null;
        }
    }
}
