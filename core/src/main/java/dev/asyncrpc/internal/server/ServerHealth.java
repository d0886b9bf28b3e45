package dev.asyncrpc.internal.server;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;

/**
 * Whether a server has failed for good: an {@link Error} (such as {@link OutOfMemoryError}) reached
 * one of its event loops, an event loop died, or the listening socket closed while the server was
 * not being closed. The first failure is kept and logged loudly; the server reports FAILED (and
 * health DOWN) from then on, so a dead acceptor is never hidden behind an UP status. Listeners
 * registered with {@link #onFailure} learn of the first failure once. Any thread.
 */
final class ServerHealth {

    private static final System.Logger logger = System.getLogger(ServerHealth.class.getName());

    private volatile Throwable failure;
    private volatile boolean closing;

    /** Told of the first failure; {@code null} once it happened (later listeners run at once). */
    private List<Consumer<? super Throwable>> listeners = new ArrayList<>();

    /** Watch the event loops of {@code group} and the listener: their end, unless closing, is a failure. */
    void watch(ServerRuntime runtime, EventLoopGroup group, Channel listener) {
        for (EventExecutor loop : group) {
            loop.terminationFuture().addListener(f -> {
                if (!this.closing) {
                    fail(new IllegalStateException("event loop " + loop + " terminated while the server was running"), "an event loop");
                }
            });
        }
        listener.closeFuture().addListener(f -> {
            if (!this.closing && !runtime.isDrainingOrClosed()) {
                fail(new IllegalStateException("the listening socket " + listener.localAddress() + " closed while the server was running"),
                        "the listener");
            }
        });
    }

    /** The server is being closed on purpose: loops and listener may end now. */
    void closing() {
        this.closing = true;
    }

    /** Record a failure (the first one is kept) and log it. */
    void fail(Throwable cause, String where) {
        List<Consumer<? super Throwable>> toTell = null;
        synchronized (this) {
            if (this.failure == null) {
                this.failure = cause;
                toTell = this.listeners;
                this.listeners = null;
            }
        }
        logger.log(System.Logger.Level.ERROR, "asyncrpc server FAILED: " + cause + " in " + where
                + "; the affected connections are closed and the server reports FAILED (health DOWN) from now on: restart it", cause);
        if (toTell != null) {
            for (Consumer<? super Throwable> listener : toTell) {
                tell(listener, cause);
            }
        }
    }

    /**
     * Run {@code listener} once with the first failure: on the thread that records it, or at once
     * on this thread if the server has failed already.
     */
    void onFailure(Consumer<? super Throwable> listener) {
        Throwable already;
        synchronized (this) {
            already = this.failure;
            if (already == null) {
                this.listeners.add(listener);
                return;
            }
        }
        tell(listener, already);
    }

    private static void tell(Consumer<? super Throwable> listener, Throwable cause) {
        try {
            listener.accept(cause);
        }
        catch (Throwable ex) { // a listener must not hide the failure nor break the thread that reports it
            logger.log(System.Logger.Level.WARNING, "a failure listener of the asyncrpc server threw " + ex, ex);
        }
    }

    Throwable failure() {
        return this.failure;
    }
}
