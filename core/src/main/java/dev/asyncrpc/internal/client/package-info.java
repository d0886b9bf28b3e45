/**
 * The caller's side: {@code ClientRuntime} (shared resources), {@code ClientBinding} (one target,
 * its connection and reconnects; or, for several endpoints, {@code BalancedSender} over the
 * load balancer of {@code dev.asyncrpc.internal.client.lb}), {@code ClientConnection} (the Netty handler, on the event loop, with
 * its call table {@code ClientCalls}, its handshake {@code ClientHandshake} and its close reason {@code ClientCloseReason}), {@code ClientProxy} (turns method calls into frames) and the call
 * handle ({@code CallFuture}, {@code DefaultAsyncCall}).
 */
package dev.asyncrpc.internal.client;
