package dev.asyncrpc;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * The implementer's view of one call in progress: Microsoft RPC's server-side async handle for
 * everything but the reply. Take it as a parameter of an implementation method (it never travels on
 * the wire), or read {@link #current()} on the thread the implementation was dispatched on.
 * Thread-safe; may be kept and used from other threads until the call completes.
 */
public interface ServerCall {

    /**
     * The service name.
     * @return the service name
     */
    String service();

    /**
     * The operation name.
     * @return the operation name
     */
    String operation();

    /**
     * Whether the caller cancelled the call, its deadline passed, or its connection dropped
     * ({@code RpcServerTestCancel}). A pure query: it changes nothing, and the implementation still
     * decides how the call ends.
     * @return whether the caller no longer waits normally for the outcome
     */
    boolean isCancelled();

    /**
     * Run {@code action} once when the caller cancels the call or its deadline passes. Never runs
     * after the call has completed; runs at once (on this thread) if the call is already
     * cancelled. Actions must not block: the call's completion waits for a running action.
     * @param action the action
     */
    void onCancel(Runnable action);

    /**
     * Run {@code action} once when the caller's connection drops while the call is in progress.
     * Never runs after the call has completed. Actions must not block.
     * @param action the action
     */
    void onDisconnect(Runnable action);

    /**
     * When the caller stops waiting, if it set a deadline.
     * @return the deadline
     */
    Optional<Instant> deadline();

    /**
     * Time left before the deadline ({@link Duration#ZERO} once passed), if there is one.
     * @return the remaining time
     */
    Optional<Duration> remaining();

    /**
     * The caller's address, such as {@code 127.0.0.1:53122} or {@code local:client}.
     * @return the peer address
     */
    String peer();

    /**
     * Metadata the caller attached to the call (for example trace context).
     * @return the metadata, never {@code null}
     */
    Map<String, String> metadata();

    /**
     * The certificate chain the caller presented in the TLS handshake (mutual TLS), the caller's
     * own certificate first, already verified against the server's trust material.
     * @return the chain; empty over plaintext or when the client presented no certificate
     */
    default java.util.List<java.security.cert.X509Certificate> peerCertificates() {
        return java.util.List.of();
    }

    /**
     * Who the caller is: what a {@link ServerInterceptor} set (for example from a validated bearer
     * token), else the subject of the caller's TLS client certificate (mutual TLS, an
     * {@link javax.security.auth.x500.X500Principal}), else empty.
     * @return the caller, empty for an anonymous caller
     */
    default Optional<java.security.Principal> principal() {
        return Optional.empty();
    }

    /**
     * {@code task} made to run with this call's {@link CallContext}s current (those interceptors
     * attached), on whatever thread runs it: for an asynchronous implementation that continues
     * its work elsewhere.
     * @param task the task
     * @return the wrapped task ({@code task} itself when there is no context)
     */
    default Runnable wrap(Runnable task) {
        return task;
    }

    /**
     * An executor that runs each task on {@code executor} with this call's {@link CallContext}s
     * current, for example {@code CompletableFuture.supplyAsync(work, call.wrap(pool))}.
     * @param executor where the tasks run
     * @return the wrapping executor
     */
    default Executor wrap(Executor executor) {
        return task -> executor.execute(wrap(task));
    }

    /**
     * The call being dispatched on this thread.
     * @return the call, or {@code null} outside an implementation's dispatch
     */
    static ServerCall current() {
        return dev.asyncrpc.internal.server.CurrentCall.get();
    }

    /**
     * Whether the current call ({@link #current()}) was cancelled; {@code false} outside a call.
     * @return whether the current call was cancelled
     */
    static boolean currentIsCancelled() {
        ServerCall call = current();
        return call != null && call.isCancelled();
    }
}
