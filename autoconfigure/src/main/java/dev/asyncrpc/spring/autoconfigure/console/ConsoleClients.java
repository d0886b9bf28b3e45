package dev.asyncrpc.spring.autoconfigure.console;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.asyncrpc.AsyncRpcClient;
import dev.asyncrpc.AsyncRpcResources;
import dev.asyncrpc.AsyncRpcServer;
import dev.asyncrpc.spring.AsyncRpcClientCustomizer;
import org.jspecify.annotations.Nullable;

/**
 * The console's own clients, one per service, made on first use and closed with the console.
 * Each calls this application's own server, borrows the application's shared resources, and has
 * the application's {@link AsyncRpcClientCustomizer}s applied for its service (credentials among them).
 */
final class ConsoleClients implements AutoCloseable {

    private final ConsoleCatalog catalog;

    private final @Nullable AsyncRpcResources resources;

    private final List<AsyncRpcClientCustomizer> customizers;

    private final Map<String, AsyncRpcClient> clients = new LinkedHashMap<>();

    private final Map<Class<?>, Object> proxies = new LinkedHashMap<>();

    private boolean closed;

    ConsoleClients(ConsoleCatalog catalog, @Nullable AsyncRpcResources resources, List<AsyncRpcClientCustomizer> customizers) {
        this.catalog = catalog;
        this.resources = resources;
        this.customizers = List.copyOf(customizers);
    }

    /** A proxy of the caller's view {@code type} of {@code service}, made once. */
    synchronized Object proxy(String service, Class<?> type) {
        return this.proxies.computeIfAbsent(type, (t) -> client(service).proxy(t));
    }

    /**
     * The console's client for one service (made on first use): to this application's own server,
     * on the shared resources, with the application's {@link AsyncRpcClientCustomizer}s applied
     * for that service, so that a bearer token configured for it (or for all services) is sent.
     */
    private AsyncRpcClient client(String service) {
        if (this.closed) {
            throw new IllegalStateException("the console is closed");
        }
        AsyncRpcClient existing = this.clients.get(service);
        if (existing != null) {
            return existing;
        }
        AsyncRpcServer server = this.catalog.server();
        if (server == null) {
            throw new IllegalStateException("this application runs no asyncrpc server to call");
        }
        AsyncRpcClient.Builder builder = AsyncRpcClient.builder();
        if (this.resources != null) {
            builder.resources(this.resources);
        }
        for (AsyncRpcClientCustomizer customizer : this.customizers) {
            customizer.customize(service, builder);
        }
        AsyncRpcClient client = builder.address(server.address()).build(); // whatever a customizer set: this server
        this.clients.put(service, client);
        return client;
    }

    /** The console's own clients, named "console" (or "console:service" when it has several). */
    synchronized Map<String, AsyncRpcClient> named() {
        Map<String, AsyncRpcClient> named = new java.util.TreeMap<>();
        this.clients.forEach((service, client) -> named.put((this.clients.size() == 1) ? "console" : "console:" + service, client));
        return named;
    }

    @Override
    public synchronized void close() {
        this.closed = true;
        this.clients.values().forEach(AsyncRpcClient::close);
        this.clients.clear();
        this.proxies.clear();
    }
}
