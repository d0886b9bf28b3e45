package dev.asyncrpc.internal.client;

import java.time.Duration;
import java.util.List;

import dev.asyncrpc.AddressResolver;
import dev.asyncrpc.RemoteCallException;
import dev.asyncrpc.Status;
import dev.asyncrpc.internal.client.lb.AddressList;
import dev.asyncrpc.internal.client.lb.Backoff;
import dev.asyncrpc.internal.transport.Endpoint;

/**
 * One target of a client. With one endpoint: keeps one connection to it and opens a new one on
 * the next call after the previous one failed or went away. With several endpoints, or a name
 * re-resolved on an interval: balances calls over them ({@link BalancedSender}).
 */
public final class ClientBinding implements AutoCloseable {

    private final ClientRuntime runtime;
    private final Endpoint endpoint;
    private final BalancedSender balanced;
    private volatile ClientConnection current;

    /** A binding to one endpoint. */
    public ClientBinding(ClientRuntime runtime, Endpoint endpoint) {
        this.runtime = runtime;
        this.endpoint = endpoint;
        this.balanced = null;
    }

    private ClientBinding(ClientRuntime runtime, BalancedSender balanced, Endpoint first) {
        this.runtime = runtime;
        this.endpoint = first;
        this.balanced = balanced;
    }

    /**
     * A binding for {@code address}: one endpoint when it names one and is not re-resolved,
     * otherwise balanced.
     * @param address the address, possibly a comma list
     * @param resolver resolves host names on every refresh (used only with a refresh interval)
     * @param refreshInterval how often to resolve host names again, or {@code null} to use the
     *        entries as written
     * @param maxAttempts how many times, in all, a call that was provably not dispatched is sent
     * @throws IllegalArgumentException if the address is invalid
     */
    public static ClientBinding of(ClientRuntime runtime, String address, AddressResolver resolver, Duration refreshInterval, int maxAttempts) {
        AddressList list = AddressList.parse(address);
        if (!list.isList() && refreshInterval == null) {
            return new ClientBinding(runtime, list.entries().get(0));
        }
        BalancedSender sender = new BalancedSender(runtime, list, (refreshInterval != null) ? resolver : null, refreshInterval, maxAttempts,
                Backoff.DEFAULT);
        return new ClientBinding(runtime, sender, list.entries().get(0));
    }

    /** The endpoint of a single-endpoint binding; the first entry of a balanced one. */
    public Endpoint endpoint() {
        return this.endpoint;
    }

    /**
     * The address as configured.
     * @return the address
     */
    public String address() {
        return (this.balanced != null) ? this.balanced.address() : this.endpoint.toString();
    }

    /**
     * The endpoints calls go to now.
     * @return the endpoints
     */
    public List<String> endpoints() {
        return (this.balanced != null) ? this.balanced.endpoints() : List.of(this.endpoint.toString());
    }

    /**
     * Calls sent again after a refusal that proved they had not run.
     * @return the count
     */
    public long retried() {
        return (this.balanced != null) ? this.balanced.retried() : 0;
    }

    /**
     * Bytes of request frames a balanced binding keeps, until their calls' outcomes are known, so
     * that it can send them again; 0 for a single endpoint (frames are released once written).
     * @return the bytes (buffer capacities)
     */
    public long keptRequestBytes() {
        return (this.balanced != null) ? this.balanced.keptBytes() : 0;
    }

    /**
     * Send a call. Any thread.
     * @throws RemoteCallException with {@link Status#UNAVAILABLE} if the client is closed (no call
     *         exists then); the request is released
     */
    void send(CallFuture<?> call) {
        if (this.runtime.isClosed()) {
            call.releaseRequest();
            throw new RemoteCallException(Status.UNAVAILABLE, "the client is closed: calls to " + address() + " cannot be made");
        }
        if (this.balanced != null) {
            this.balanced.send(call);
            return;
        }
        connection().send(call);
    }

    /**
     * Ping the endpoint a call would go to now (opening a connection if needed). Any thread.
     * @param timeout how long the connection, handshake and PONG may take in all
     * @return completes with the round-trip time of the PING; fails with a {@link RemoteCallException}:
     *         {@link Status#UNAVAILABLE} if the connection fails, {@link Status#DEADLINE_EXCEEDED} after the timeout
     */
    public java.util.concurrent.CompletableFuture<Duration> ping(Duration timeout) {
        if (this.runtime.isClosed()) {
            return java.util.concurrent.CompletableFuture.failedFuture(
                    new RemoteCallException(Status.UNAVAILABLE, "the client is closed: " + address() + " cannot be pinged"));
        }
        if (this.balanced != null) {
            return this.balanced.ping(timeout);
        }
        return connection().ping(timeout);
    }

    private ClientConnection connection() {
        ClientConnection c = this.current;
        if (c != null && c.isUsable()) {
            return c;
        }
        synchronized (this) {
            c = this.current;
            if (c == null || !c.isUsable()) {
                c = this.runtime.connect(this.endpoint);
                this.current = c;
            }
            return c;
        }
    }

    /** Stop balancing (background work, connections); the runtime closes the rest. */
    @Override
    public void close() {
        if (this.balanced != null) {
            this.balanced.close();
        }
    }
}
