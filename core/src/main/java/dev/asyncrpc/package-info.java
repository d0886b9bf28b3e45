/**
 * The public API of asyncrpc: asynchronous remote procedure calls with the semantics of
 * Microsoft's Asynchronous RPC.
 *
 * <p>Start with {@link dev.asyncrpc.RemoteService} (the contract), {@link dev.asyncrpc.AsyncRemote}
 * (the side-local "async" choice that replaces an ACF declaration), {@link dev.asyncrpc.AsyncCall}
 * (the caller's call handle) and {@link dev.asyncrpc.AsyncReply} (the implementer's reply handle).
 * {@link dev.asyncrpc.InPipe} and {@link dev.asyncrpc.OutPipe} stream data between caller and
 * implementer while a call is in progress.
 * {@link dev.asyncrpc.AsyncRpcServer} and {@link dev.asyncrpc.AsyncRpcClient} run without Spring.
 * Everything under {@code dev.asyncrpc.internal} is not API.
 */
package dev.asyncrpc;
