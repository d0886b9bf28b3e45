package dev.asyncrpc;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;

/**
 * The caller's handle on one outstanding call: Microsoft RPC's {@code RPC_ASYNC_STATE}. Returned at
 * once by an {@link AsyncRemote} method; the outcome (value or {@link RemoteCallException}) arrives
 * here, never from the issuing call.
 *
 * @param <T> the type of the call's value
 */
public interface AsyncCall<T> {

    /**
     * The current state ({@code RpcAsyncGetCallStatus}). Never blocks and has no side effect.
     * @return the state
     */
    CallState state();

    /**
     * Wait for the outcome ({@code RpcAsyncCompleteCall}). After the final outcome every call returns
     * the same value or throws the same exception.
     * @return the value
     * @throws RemoteCallException if the call failed or was cancelled
     */
    T join();

    /**
     * Wait at most {@code timeout} for the outcome. Timing out does not change the call.
     * @param timeout how long to wait
     * @return the value
     * @throws RemoteCallException if the call failed or was cancelled
     * @throws java.util.concurrent.TimeoutException wrapped in an unchecked
     *         {@link java.util.concurrent.CompletionException} if the call is still pending
     */
    T join(Duration timeout);

    /**
     * A future completed with the call's outcome. Cancelling it cancels the call abortively;
     * {@code orTimeout} fails it with a {@code TimeoutException} and cancels the call. It is
     * read-only for the caller: {@code complete}, {@code completeExceptionally}, {@code obtrude*}
     * and {@code completeOnTimeout} throw {@link UnsupportedOperationException}, since only the
     * call decides its outcome. Non-async callbacks on it run on the client's completion executor.
     * @return the future
     */
    CompletableFuture<T> toCompletableFuture();

    /**
     * Cancel the call ({@code RpcAsyncCancelCall}). {@link CancelMode#ABORTIVE} completes the handle
     * at once as {@link CallState#CANCELLED}; {@link CancelMode#GRACEFUL} asks the implementation and
     * keeps waiting for its outcome.
     * @param mode the cancel mode
     * @return {@code true} if the request was taken (the call was still pending)
     */
    boolean cancel(CancelMode mode);

    /**
     * Run {@code callback} with the value or the failure once the call is done, on {@code executor}.
     * @param callback receives the value (or {@code null}) and the failure (or {@code null})
     * @param executor where the callback runs
     * @return this handle
     */
    AsyncCall<T> whenDone(BiConsumer<? super T, ? super Throwable> callback, Executor executor);

    /**
     * Report this call's completion to {@code queue} (the portable I/O completion port).
     * @param queue the queue
     * @param key the caller's key, given back by {@link Completion#key()}
     * @param attachment the caller's attachment, given back by {@link Completion#attachment()}
     * @return this handle
     */
    AsyncCall<T> notify(CompletionQueue queue, Object key, Object attachment);
}
