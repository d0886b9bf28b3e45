/**
 * The implementer's side: {@code ServiceRegistry} (operations by wire name), {@code ServerConnection}
 * (the Netty handler: handshake, call table, limits, on the event loop), {@code ServerCallContext}
 * (one call: argument decoding, invocation on a worker, the reply) and {@code ServerRuntime}
 * (listening, executors, shutdown).
 */
package dev.asyncrpc.internal.server;
