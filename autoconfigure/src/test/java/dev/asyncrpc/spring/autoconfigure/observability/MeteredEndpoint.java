package dev.asyncrpc.spring.autoconfigure.observability;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.asyncrpc.RemoteCallException;
import dev.asyncrpc.ServerCall;
import dev.asyncrpc.Status;
import dev.asyncrpc.spring.RemoteEndpoint;

/**
 * Serves {@link Metered.Service}: {@code greet} answers or throws for a blank name; {@code hold}
 * ends when {@link #release} is called for its key, or with CANCELLED when the caller cancels.
 */
@RemoteEndpoint
class MeteredEndpoint implements Metered.Service {

    private final BlockingQueue<String> held = new LinkedBlockingQueue<>();

    private final Map<String, CompletableFuture<String>> holds = new ConcurrentHashMap<>();

    /** The metadata of the last call, as the server received it. */
    volatile Map<String, String> lastMetadata = Map.of();

    @Override
    public String greet(String name) {
        if (name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank");
        }
        return "Hello, " + name;
    }

    @Override
    public CompletableFuture<String> hold(String key, ServerCall call) {
        this.lastMetadata = call.metadata();
        CompletableFuture<String> result = new CompletableFuture<>();
        call.onCancel(() -> result.completeExceptionally(new RemoteCallException(Status.CANCELLED, key + " was cancelled")));
        this.holds.put(key, result);
        this.held.add(key);
        return result;
    }

    /** Wait until the implementation holds a call. */
    String awaitHeld(Duration timeout) throws InterruptedException {
        String key = this.held.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (key == null) {
            throw new IllegalStateException("no hold call arrived within " + timeout);
        }
        return key;
    }

    /** End a held call with a value. */
    void release(String key) {
        this.holds.remove(key).complete("released " + key);
    }
}
