package dev.asyncrpc.test;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import dev.asyncrpc.AsyncReply;
import dev.asyncrpc.InPipe;
import dev.asyncrpc.ServerCall;
import dev.asyncrpc.Status;

/**
 * Serves {@link HostileService} as a careful application would: {@code greetLater}'s timer is
 * cancelled when the caller cancels and when its connection drops, so that no memory outlives a call.
 */
public class HostileEndpoint implements HostileService, AutoCloseable {

    private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, task -> {
        Thread t = new Thread(task, "hostile-timer");
        t.setDaemon(true);
        return t;
    });

    public HostileEndpoint() {
        this.timer.setRemoveOnCancelPolicy(true); // a cancelled timer frees its call at once, not when it would have fired
    }

    @Override
    public String greet(String name) {
        return "Hello, " + name + "!";
    }

    @Override
    public void greetLater(String name, long delayMillis, AsyncReply<String> reply) {
        if (delayMillis < 0) {
            reply.abort(Status.INVALID_ARGUMENT, "delayMillis must be >= 0, was " + delayMillis);
            return;
        }
        ScheduledFuture<?> later = this.timer.schedule(() -> reply.complete("Hello later, " + name + "!"), delayMillis, TimeUnit.MILLISECONDS);
        ServerCall call = ServerCall.current();
        if (call != null) {
            call.onCancel(() -> {
                if (later.cancel(false)) {
                    boolean expired = call.remaining().map(java.time.Duration::isZero).orElse(false);
                    reply.abort(expired ? Status.DEADLINE_EXCEEDED : Status.CANCELLED, expired ? "deadline passed" : "cancelled by the caller");
                }
            });
            call.onDisconnect(() -> later.cancel(false));
        }
    }

    @Override
    public int count(InPipe<String> names) {
        int n = 0;
        for (String ignored : names) {
            n++;
        }
        return n;
    }

    @Override
    public byte[] bytes(int size) {
        return new byte[size];
    }

    @Override
    public void close() {
        this.timer.shutdownNow();
    }
}
