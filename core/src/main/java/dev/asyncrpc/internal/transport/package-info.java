/**
 * Netty plumbing: {@code Transports} picks event loops and channel types for an address
 * ({@code host:port}, {@code local:name}, {@code unix:/path}); {@code WriteQueue} carries writes from
 * other threads to the event loop with batched flushes.
 */
package dev.asyncrpc.internal.transport;
