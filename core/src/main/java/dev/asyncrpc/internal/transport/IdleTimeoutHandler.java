package dev.asyncrpc.internal.transport;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import dev.asyncrpc.internal.protocol.Frame;
import dev.asyncrpc.internal.protocol.FrameType;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Closes a connection that has been idle for {@code timeout}: no call in progress (as the
 * connection reports through {@code busy}) and no frame read other than PING and PONG, so keepalive
 * alone does not keep a connection open. Raises a {@link ConnectionTimeoutException} of kind
 * {@code IDLE}. Sits after the frame decoder. Event loop only.
 */
public final class IdleTimeoutHandler extends ChannelInboundHandlerAdapter {

    private final long timeoutNanos;
    private final BooleanSupplier busy;
    private ChannelHandlerContext ctx;
    private long lastActiveNanos;
    private boolean activeInBatch;
    private ScheduledFuture<?> timer;

    /**
     * @param timeout how long the connection may be idle
     * @param busy whether the connection has work in progress now (calls, pipes); called on the event loop
     */
    public IdleTimeoutHandler(Duration timeout, BooleanSupplier busy) {
        this.timeoutNanos = timeout.toNanos();
        this.busy = busy;
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
            this.lastActiveNanos = now();
            this.timer = this.ctx.executor().schedule(this::check, this.timeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    private long now() {
        return this.ctx.executor().ticker().nanoTime();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof Frame f) || (f.type() != FrameType.PING && f.type() != FrameType.PONG)) {
            this.activeInBatch = true;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (this.activeInBatch) {
            this.activeInBatch = false;
            this.lastActiveNanos = now();
        }
        ctx.fireChannelReadComplete();
    }

    private void check() {
        this.timer = null;
        if (!this.ctx.channel().isActive()) {
            return;
        }
        long now = now();
        if (this.busy.getAsBoolean()) {
            this.lastActiveNanos = now;
        }
        long idle = now - this.lastActiveNanos;
        if (idle >= this.timeoutNanos) {
            this.ctx.fireExceptionCaught(new ConnectionTimeoutException(ConnectionTimeoutException.Kind.IDLE,
                    "the connection was idle (no call in progress) for the idle timeout of " + Duration.ofNanos(this.timeoutNanos).toMillis() + " ms"));
            return;
        }
        this.timer = this.ctx.executor().schedule(this::check, this.timeoutNanos - idle, TimeUnit.NANOSECONDS);
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
