package dev.asyncrpc.internal.server;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.asyncrpc.Status;
import dev.asyncrpc.internal.protocol.Frames;
import dev.asyncrpc.internal.transport.GracefulClose;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * The cap on a server's open connections: a connection beyond it is refused with a GOAWAY
 * ({@code RESOURCE_EXHAUSTED}) that reaches the client before the close, and holds no call state.
 * Counts the open connections (until their close) and the refused ones. Any thread.
 */
final class ConnectionCap {

    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong refused = new AtomicLong();
    private volatile int max = Integer.MAX_VALUE;

    /** Set the most connections open at once (before the server starts). */
    void max(int maxConnections) {
        this.max = maxConnections;
    }

    /**
     * Admit a new connection (while its pipeline is made, before it is active) if the cap allows;
     * else give it a handler that refuses it once it is active.
     * @return whether it was admitted
     */
    boolean admit(Channel ch) {
        int now = this.open.incrementAndGet();
        ch.closeFuture().addListener(f -> this.open.decrementAndGet());
        if (now <= this.max) {
            return true;
        }
        this.refused.incrementAndGet();
        int limit = this.max;
        ch.pipeline().addLast("refused", new ChannelInboundHandlerAdapter() {
            @Override
            public void channelActive(ChannelHandlerContext ctx) {
                GracefulClose.close(ctx.channel(), Frames.goAway(ctx.alloc(), 0, Status.RESOURCE_EXHAUSTED,
                        "the server has reached its connection limit (maxConnections " + limit + "); try again later"));
            }
        });
        return false;
    }

    /** Connections refused because of the cap, since start. */
    long refused() {
        return this.refused.get();
    }
}
