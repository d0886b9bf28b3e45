package dev.asyncrpc.internal.client;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import dev.asyncrpc.RemoteCallException;
import dev.asyncrpc.Status;
import dev.asyncrpc.internal.protocol.Frame;
import dev.asyncrpc.internal.protocol.FrameType;
import dev.asyncrpc.internal.protocol.Frames;
import dev.asyncrpc.internal.protocol.ProtocolException;
import io.netty.channel.ChannelHandlerContext;

/**
 * The PINGs of one {@link ClientConnection}: those asked for before the handshake was done, those
 * sent and not answered (by opaque value), their timers, and the matching of PONGs. Everything here
 * runs on the connection's event loop except the futures, which complete through {@code dispatch}.
 */
final class ClientPings {

    /** A ping asked for: completes with the round-trip time; its fields other than the future belong to the event loop. */
    static final class Ping {

        final CompletableFuture<Duration> future = new CompletableFuture<>();
        final long deadlineNanos;
        final long timeoutNanos;
        long opaque;
        long sentNanos;
        ScheduledFuture<?> timer;

        Ping(long timeoutNanos) {
            this.timeoutNanos = timeoutNanos;
            this.deadlineNanos = System.nanoTime() + timeoutNanos;
        }
    }

    private final String endpoint;
    private final Consumer<Runnable> dispatch;
    private final BooleanSupplier handshakeDone;

    /** Pings sent and not answered, by opaque value. */
    private final Map<Long, Ping> sent = new HashMap<>();
    /** Pings asked for before the handshake was done. */
    private final ArrayDeque<Ping> waiting = new ArrayDeque<>();
    private long nextOpaque = 1;

    /**
     * @param endpoint the peer, for messages
     * @param dispatch runs the completion of a ping's future (off the event loop)
     * @param handshakeDone whether the handshake is done, for the message of a ping that timed out
     */
    ClientPings(String endpoint, Consumer<Runnable> dispatch, BooleanSupplier handshakeDone) {
        this.endpoint = endpoint;
        this.dispatch = dispatch;
        this.handshakeDone = handshakeDone;
    }

    /**
     * Take a ping asked for (loop): it fails at once if its time is up, else its timer starts and
     * it is sent on {@code ctx}, or held until {@link #sendWaiting} if {@code ctx} is {@code null}
     * (the handshake is not done).
     */
    void start(Ping ping, ScheduledExecutorService loop, ChannelHandlerContext ctx) {
        long remaining = ping.deadlineNanos - System.nanoTime();
        if (remaining <= 0) {
            expire(ping);
            return;
        }
        ping.timer = loop.schedule(() -> expire(ping), remaining, TimeUnit.NANOSECONDS);
        if (ctx == null) {
            this.waiting.add(ping);
        }
        else {
            send(ping, ctx);
        }
    }

    /** Send the pings held until the handshake was done (loop); the caller flushes. */
    void sendWaiting(ChannelHandlerContext ctx) {
        Ping ping;
        while ((ping = this.waiting.poll()) != null) {
            send(ping, ctx);
        }
    }

    private void send(Ping ping, ChannelHandlerContext ctx) {
        long opaque = this.nextOpaque++;
        while (this.sent.containsKey(opaque)) {
            opaque = this.nextOpaque++;
        }
        ping.opaque = opaque;
        this.sent.put(opaque, ping);
        ping.sentNanos = System.nanoTime();
        ctx.write(Frames.ping(ctx.alloc(), FrameType.PING, opaque), ctx.voidPromise());
    }

    /** A ping's time is up (loop): forget it, fail it. */
    private void expire(Ping ping) {
        if (ping.future.isDone()) {
            return;
        }
        if (this.sent.get(ping.opaque) == ping) {
            this.sent.remove(ping.opaque);
        }
        else {
            this.waiting.remove(ping);
        }
        fail(ping, Status.DEADLINE_EXCEEDED, "no PONG from " + this.endpoint + " within "
                + Duration.ofNanos(ping.timeoutNanos).toMillis() + " ms" + (this.handshakeDone.getAsBoolean() ? "" : " (the handshake is not done)"));
    }

    /** A PONG arrived (loop): complete the matching ping with its round-trip time; ignore one not ours. The caller releases the frame. */
    void onPong(Frame frame) {
        if (frame.payload().readableBytes() != 8) {
            throw new ProtocolException("PONG payload of " + frame.payload().readableBytes() + " bytes (expected: 8)");
        }
        Ping ping = this.sent.remove(frame.payload().readLong());
        if (ping == null) {
            return; // not ours, or it already timed out
        }
        if (ping.timer != null) {
            ping.timer.cancel(false);
        }
        Duration rtt = Duration.ofNanos(System.nanoTime() - ping.sentNanos);
        this.dispatch.accept(() -> ping.future.complete(rtt));
    }

    /** Fail one ping (loop): stop its timer, fail its future. */
    void fail(Ping ping, Status status, String message) {
        if (ping.timer != null) {
            ping.timer.cancel(false);
        }
        this.dispatch.accept(() -> ping.future.completeExceptionally(new RemoteCallException(status, message)));
    }

    /** The connection closed (loop): every ping sent or held fails with UNAVAILABLE and {@code message}. */
    void failAll(String message) {
        List<Ping> lost = new ArrayList<>(this.sent.values());
        lost.addAll(this.waiting);
        this.sent.clear();
        this.waiting.clear();
        for (Ping ping : lost) {
            fail(ping, Status.UNAVAILABLE, message);
        }
    }
}
