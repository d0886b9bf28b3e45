package dev.asyncrpc.internal.client;

import dev.asyncrpc.RemoteCallException;
import dev.asyncrpc.Status;
import dev.asyncrpc.internal.transport.Endpoint;

/**
 * One target of a client: keeps one connection to its endpoint and opens a new one on the next call
 * after the previous one failed or went away.
 */
public final class ClientBinding {

    private final ClientRuntime runtime;
    private final Endpoint endpoint;
    private volatile ClientConnection current;

    public ClientBinding(ClientRuntime runtime, Endpoint endpoint) {
        this.runtime = runtime;
        this.endpoint = endpoint;
    }

    public Endpoint endpoint() {
        return this.endpoint;
    }

    /**
     * Send a call. Any thread.
     * @throws RemoteCallException with {@link Status#UNAVAILABLE} if the client is closed (no call
     *         exists then); the request is released
     */
    void send(CallFuture<?> call) {
        if (this.runtime.isClosed()) {
            call.releaseRequest();
            throw new RemoteCallException(Status.UNAVAILABLE, "the client is closed: calls to " + this.endpoint + " cannot be made");
        }
        connection().send(call);
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
}
