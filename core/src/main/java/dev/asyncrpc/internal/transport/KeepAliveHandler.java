package dev.asyncrpc.internal.transport;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import dev.asyncrpc.internal.protocol.FrameType;
import dev.asyncrpc.internal.protocol.Frames;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Detects a dead or half-open peer: after {@code interval} without reading anything from it, send a
 * PING; if nothing at all (the PONG or any other byte) arrives within {@code timeout} after it,
 * raise a {@link ConnectionTimeoutException} of kind {@code KEEPALIVE}, on which the connection
 * closes and its calls fail UNAVAILABLE. A silent peer is therefore detected within
 * {@code interval + timeout}. Sits before the frame decoder (any bytes count as a sign of life);
 * its PINGs carry opaque values with the top bit set, which the connection's own pings never use.
 * Event loop only.
 */
public final class KeepAliveHandler extends ChannelInboundHandlerAdapter {

    /** Top bit set: the opaque values of keepalive PINGs. */
    public static final long OPAQUE_BASE = Long.MIN_VALUE;

    private final long intervalNanos;
    private final long timeoutNanos;
    private ChannelHandlerContext ctx;
    private long lastReadNanos;
    private long pingSentNanos = -1;
    private long pings;
    private ScheduledFuture<?> timer;

    public KeepAliveHandler(Duration interval, Duration timeout) {
        this.intervalNanos = interval.toNanos();
        this.timeoutNanos = timeout.toNanos();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        if (ctx.channel().isActive()) {
            start();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        start();
        ctx.fireChannelActive();
    }

    private void start() {
        if (this.timer == null) {
            this.lastReadNanos = now();
            this.timer = this.ctx.executor().schedule(this::check, this.intervalNanos, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        this.lastReadNanos = now();
        ctx.fireChannelRead(msg);
    }

    private long now() {
        return this.ctx.executor().ticker().nanoTime();
    }

    private void check() {
        if (!this.ctx.channel().isActive()) {
            return;
        }
        long now = now();
        if (this.pingSentNanos >= 0) {
            if (this.lastReadNanos - this.pingSentNanos < 0) {
                this.timer = null;
                this.ctx.fireExceptionCaught(new ConnectionTimeoutException(ConnectionTimeoutException.Kind.KEEPALIVE,
                        "keepalive: nothing received from the peer within " + Duration.ofNanos(this.timeoutNanos).toMillis()
                                + " ms of a PING sent after " + Duration.ofNanos(this.intervalNanos).toMillis() + " ms of silence"));
                return;
            }
            this.pingSentNanos = -1; // answered (or the peer sent something else)
        }
        long silent = now - this.lastReadNanos;
        if (silent >= this.intervalNanos) {
            this.pingSentNanos = now;
            this.ctx.writeAndFlush(Frames.ping(this.ctx.alloc(), FrameType.PING, OPAQUE_BASE | (this.pings++ & Long.MAX_VALUE)), this.ctx.voidPromise());
            this.timer = this.ctx.executor().schedule(this::check, this.timeoutNanos, TimeUnit.NANOSECONDS);
        }
        else {
            this.timer = this.ctx.executor().schedule(this::check, this.intervalNanos - silent, TimeUnit.NANOSECONDS);
        }
    }

    /** Keepalive PINGs sent so far. */
    public long pingsSent() {
        return this.pings;
    }

    private void stop() {
        if (this.timer != null) {
            this.timer.cancel(false);
            this.timer = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        stop();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        stop();
    }
}
