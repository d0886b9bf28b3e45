package dev.asyncrpc.sample;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import dev.asyncrpc.AsyncReply;
import dev.asyncrpc.InPipe;
import dev.asyncrpc.OutPipe;
import dev.asyncrpc.ServerCall;
import dev.asyncrpc.Status;
import dev.asyncrpc.spring.RemoteEndpoint;

import org.springframework.beans.factory.DisposableBean;

/** Serves the "greeter" service. */
@RemoteEndpoint
public class GreeterEndpoint implements GreeterService, DisposableBean {

    private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, (task) -> {
        Thread thread = new Thread(task, "greeter-scheduler");
        thread.setDaemon(true);
        return thread;
    });

    public GreeterEndpoint() {
        this.scheduler.setRemoveOnCancelPolicy(true); // a cancelled wait frees its memory at once
    }

    @Override
    public Greeting greet(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank");
        }
        return new Greeting("Hello, " + name + "!", name);
    }

    @Override
    public void greetLater(String name, long delayMillis, AsyncReply<Greeting> reply) {
        if (delayMillis < 0) {
            reply.abort(Status.INVALID_ARGUMENT, "delayMillis must be >= 0, was " + delayMillis);
            return;
        }
        // no thread waits: the scheduler completes the reply when the time has come
        ScheduledFuture<?> later = this.scheduler.schedule(() -> reply.complete(new Greeting("Hello, " + name + ", sorry for the wait!", name)),
                delayMillis, TimeUnit.MILLISECONDS);
        // a caller that cancels stops the wait: the call ends at once as cancelled; a caller that
        // goes away stops it too, so that nothing of the call outlives its connection
        ServerCall call = ServerCall.current();
        if (call != null) {
            call.onCancel(() -> {
                if (later.cancel(false)) {
                    reply.abort(Status.CANCELLED, "greeting " + name + " cancelled by the caller");
                }
            });
            call.onDisconnect(() -> later.cancel(false));
        }
    }

    @Override
    public int greetEach(InPipe<String> names, OutPipe<Greeting> greetings) {
        int n = 0;
        for (String name : names) {    // blocks this worker thread until the next name or the end
            // waits while the caller has not made room (the pipe window) for more greetings
            greetings.push(greet(name)).toCompletableFuture().join();
            n++;
        }
        greetings.close();
        return n;
    }

    /** Greetings waiting for their time (for tests). */
    int waitingGreetings() {
        return this.scheduler.getQueue().size();
    }

    @Override
    public void destroy() {
        this.scheduler.shutdownNow();
    }
}
