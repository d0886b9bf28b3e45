package dev.asyncrpc.spring.autoconfigure.observability;

import dev.asyncrpc.AsyncRpcClient;

/** The connection state of a client's target, as far as the client knows it without calling. */
enum ConnectionState {

    /** A connection is open or being opened. */
    CONNECTED,

    /** No connection: the next call opens one. */
    IDLE;

    static ConnectionState of(AsyncRpcClient client) {
        return (client.connections() > 0) ? CONNECTED : IDLE;
    }
}
