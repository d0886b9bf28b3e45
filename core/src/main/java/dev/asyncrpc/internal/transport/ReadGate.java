package dev.asyncrpc.internal.transport;

import dev.asyncrpc.internal.protocol.FrameDecoder;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;

/**
 * Pauses reading from a connection for one or more reasons (outbound data piling up, the memory
 * budget spent, calls refused, frames already read waiting for their turn). While any reason holds,
 * auto-read is off and every {@code read()} request from a handler further up the pipeline (a
 * decoder asking for the rest of a frame, TLS) is held back; when the last reason clears, reading
 * resumes.
 * <p>
 * It is also the {@link FrameDecoder.Backlog} of the connection's frame decoder: frames the decoder
 * holds beyond its turn quota pause reading ({@link #BACKLOG}), and their next turn runs as a task
 * on the event loop, after its other channels, and only while no other reason holds (a peer that
 * does not read its replies, or whose calls are refused, gets no more frames handled from what was
 * already read either). Sits first in the pipeline. Event loop only.
 */
public final class ReadGate extends ChannelDuplexHandler implements FrameDecoder.Backlog {

    /** Outbound data above the high water mark. */
    public static final int OUTBOUND = 1;

    /** The server's memory budget cannot take the bytes this connection is sending. */
    public static final int MEMORY = 2;

    /** The frame decoder holds complete frames for a later turn of the event loop (its turn quota is spent). */
    public static final int BACKLOG = 4;

    /** The connection's calls were refused (a budget is spent): reading is slowed for a while ({@link ReadBackoff}). */
    public static final int REFUSED = 8;

    private ChannelHandlerContext ctx;
    private int reasons;
    private boolean readHeld;
    /** The decoder's next turn, while it holds frames. */
    private Runnable nextTurn;
    private boolean turnScheduled;

    /** The gate of {@code channel}, or {@code null} if it has none. */
    public static ReadGate of(Channel channel) {
        return channel.pipeline().get(ReadGate.class);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** Stop reading for {@code reason} (one of the constants). */
    public void pause(int reason) {
        boolean wasOpen = this.reasons == 0;
        this.reasons |= reason;
        if (wasOpen) {
            this.ctx.channel().config().setAutoRead(false);
        }
    }

    /** Clear {@code reason}; reading resumes when no reason is left. */
    public void resume(int reason) {
        if (this.reasons == 0) {
            return;
        }
        this.reasons &= ~reason;
        if (this.reasons == 0) {
            this.readHeld = false;
            this.ctx.channel().config().setAutoRead(true); // also issues a read
        }
        else {
            scheduleTurn();
        }
    }

    @Override
    public void holding(Runnable nextTurn) {
        this.nextTurn = nextTurn;
        pause(BACKLOG);
        scheduleTurn();
    }

    @Override
    public void released() {
        this.nextTurn = null;
        resume(BACKLOG);
    }

    /** Run the decoder's next turn on a later turn of the event loop, if it holds frames and only that pauses reading. */
    private void scheduleTurn() {
        if (this.nextTurn == null || this.turnScheduled || this.reasons != BACKLOG) {
            return;
        }
        this.turnScheduled = true;
        this.ctx.executor().execute(() -> {
            this.turnScheduled = false;
            Runnable turn = this.nextTurn;
            if (turn != null && this.reasons == BACKLOG) {
                this.nextTurn = null; // the decoder puts it back if it still holds frames after this turn
                turn.run();
            }
        });
    }

    /** Whether reading is paused for {@code reason}. */
    public boolean isPaused(int reason) {
        return (this.reasons & reason) != 0;
    }

    /** Whether reading is paused for any reason. */
    public boolean isPaused() {
        return this.reasons != 0;
    }

    @Override
    public void read(ChannelHandlerContext ctx) {
        if (this.reasons == 0) {
            ctx.read();
        }
        else {
            this.readHeld = true;
        }
    }

    /** Whether a read was asked for while paused (and is held back). */
    boolean isReadHeld() {
        return this.readHeld;
    }
}
