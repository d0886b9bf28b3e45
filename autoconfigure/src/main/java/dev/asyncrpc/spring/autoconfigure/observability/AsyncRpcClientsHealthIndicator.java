package dev.asyncrpc.spring.autoconfigure.observability;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import dev.asyncrpc.AsyncRpcClient;
import dev.asyncrpc.RemoteCallException;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The clients' targets, by service: each is pinged (a protocol PING, answered by the server's
 * event loop without reaching a service), all at once, within the ping timeout; the details give
 * each target's reachability ({@code status} UP with {@code rttMillis}, or DOWN with the
 * {@code error}), address, connection state and pending calls.
 * <p>
 * The indicator itself stays UP when a target is unreachable: it is part of the {@code asyncrpc}
 * contributor, which is a member of the readiness group, and a target being down is no reason to
 * take this application, its caller, out of rotation (that would spread one service's outage to
 * every caller, and routing elsewhere would not help: the other replicas call the same target).
 * The caller's own calls fail with {@code UNAVAILABLE} and can degrade; monitoring reads the
 * per-target {@code status}.
 */
final class AsyncRpcClientsHealthIndicator implements HealthIndicator {

    private final Supplier<Map<String, AsyncRpcClient>> clients;
    private final Duration pingTimeout;

    AsyncRpcClientsHealthIndicator(Supplier<Map<String, AsyncRpcClient>> clients, Duration pingTimeout) {
        this.clients = clients;
        this.pingTimeout = pingTimeout;
    }

    /** The latest ping of each service: answered ones are reported, an unanswered one is awaited only the first time. */
    private final Map<String, CompletableFuture<Duration>> latest = new java.util.concurrent.ConcurrentHashMap<>();

    /** The last answered ping of each service, reported while a newer one is in flight. */
    private final Map<String, CompletableFuture<Duration>> answered = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public Health health() {
        Map<String, AsyncRpcClient> all = new TreeMap<>(this.clients.get());
        Map<String, CompletableFuture<Duration>> pings = new LinkedHashMap<>();
        // a ping is started when the previous one has been answered; a probe never waits on a ping
        // a previous probe started, so that a slow target cannot make probes themselves slow
        all.forEach((service, client) -> pings.put(service, this.latest.compute(service,
                (k, previous) -> (previous == null || previous.isDone()) ? ping(client) : previous)));
        // every ping fails on its own once the timeout has passed; the margin only guards against a stuck executor
        long deadline = System.nanoTime() + this.pingTimeout.toNanos() + TimeUnit.SECONDS.toNanos(1);
        Health.Builder health = Health.up();
        all.forEach((service, client) -> {
            Map<String, Object> details = new LinkedHashMap<>();
            CompletableFuture<Duration> ping = pings.get(service);
            CompletableFuture<Duration> last = this.answered.get(service);
            if (!ping.isDone() && last != null) {
                ping = last; // the newer ping is still in flight: report the last answer
            }
            try {
                Duration rtt = ping.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                details.put("status", "UP");
                details.put("rttMillis", rtt.toNanos() / 1_000_000.0);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                details.put("status", "UNKNOWN");
                details.put("error", "interrupted");
            }
            catch (TimeoutException ex) {
                details.put("status", "DOWN");
                details.put("error", "no answer to a ping within " + this.pingTimeout.toMillis() + " ms");
            }
            catch (ExecutionException ex) {
                details.put("status", "DOWN");
                details.put("error", describe(ex.getCause()));
            }
            if (ping.isDone()) {
                this.answered.put(service, ping);
            }
            details.put("address", client.address());
            details.put("connection", ConnectionState.of(client).name());
            details.put("connections", client.connections());
            details.put("pendingCalls", client.pendingCalls());
            health.withDetail(service, details);
        });
        return health.build();
    }

    private CompletableFuture<Duration> ping(AsyncRpcClient client) {
        try {
            return client.ping(this.pingTimeout).toCompletableFuture();
        }
        catch (RuntimeException ex) {
            return CompletableFuture.failedFuture(ex);
        }
    }

    private static String describe(Throwable failure) {
        Throwable t = (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause() : failure;
        if (t instanceof RemoteCallException rce) {
            return rce.status() + ": " + rce.getMessage();
        }
        return String.valueOf(t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName());
    }
}
