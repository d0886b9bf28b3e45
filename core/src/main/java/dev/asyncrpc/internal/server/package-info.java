/**
 * The implementer's side: {@code ServiceRegistry} (operations by wire name), {@code ServerConnection}
 * (the Netty handler: handshake, call table, CALL parsing, replies, on the event loop),
 * {@code CallAdmission} (whether a connection may take a call: limits, draining, memory, read
 * backoff), {@code CallDispatch} (where and in which order admitted calls run: inline on the event
 * loop, ordered units, worker tasks), {@code ServerCallContext} (one call: argument decoding,
 * invocation, the reply; its lifecycle, cancel and disconnect actions in {@code CallLifecycle}, its
 * {@code ServerCall} view in {@code CallView}, its reply frames from {@code ReplyFrames}) and
 * {@code ServerRuntime} (listening, executors, shutdown), with
 * {@code CallsInProgress} (the server-wide count of calls, its limit and the drain) and
 * {@code ConnectionCap} (the cap on open connections).
 */
package dev.asyncrpc.internal.server;
