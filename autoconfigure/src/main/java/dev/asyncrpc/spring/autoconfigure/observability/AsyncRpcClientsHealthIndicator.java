package dev.asyncrpc.spring.autoconfigure.observability;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

import dev.asyncrpc.AsyncRpcClient;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The clients' targets, by service: address, connection state and pending calls. A client opens
 * its connection on the first call and again on the next call after a failure, so a target
 * without a connection is idle, not down: the status is UP, and the details tell the state.
 */
final class AsyncRpcClientsHealthIndicator implements HealthIndicator {

    private final Supplier<Map<String, AsyncRpcClient>> clients;

    AsyncRpcClientsHealthIndicator(Supplier<Map<String, AsyncRpcClient>> clients) {
        this.clients = clients;
    }

    @Override
    public Health health() {
        Health.Builder health = Health.up();
        new TreeMap<>(this.clients.get()).forEach((service, client) -> health.withDetail(service, Map.of(
                "address", client.address(),
                "connection", ConnectionState.of(client).name(),
                "connections", client.connections(),
                "pendingCalls", client.pendingCalls())));
        return health.build();
    }
}
