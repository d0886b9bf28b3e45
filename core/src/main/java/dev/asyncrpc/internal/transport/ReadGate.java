package dev.asyncrpc.internal.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;

/**
 * Pauses reading from a connection for one or more reasons (outbound data piling up, the memory
 * budget spent). While any reason holds, auto-read is off and every {@code read()} request from a
 * handler further up the pipeline (a decoder asking for the rest of a frame, TLS) is held back;
 * when the last reason clears, reading resumes. Sits first in the pipeline. Event loop only.
 */
public final class ReadGate extends ChannelDuplexHandler {

    /** Outbound data above the high water mark. */
    public static final int OUTBOUND = 1;

    /** The server's memory budget cannot take the bytes this connection is sending. */
    public static final int MEMORY = 2;

    private ChannelHandlerContext ctx;
    private int reasons;
    private boolean readHeld;

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
