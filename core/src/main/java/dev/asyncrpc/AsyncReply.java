package dev.asyncrpc;

/**
 * The implementer's reply handle for an asynchronous operation: take it as a parameter of an
 * {@link AsyncRemote} method that returns {@code void}, keep it, and complete it later from any
 * thread. Exactly one of {@link #complete(Object)} and {@link #abort(Status, String)} takes effect;
 * a second attempt throws {@link IllegalStateException} and sends nothing.
 *
 * @param <T> the type of the operation's value
 */
public interface AsyncReply<T> {

    /**
     * Send the value ({@code RpcAsyncCompleteCall} on the server).
     * @param value the value ({@code null} for {@code Void})
     * @throws IllegalStateException if the reply was already completed or aborted
     */
    void complete(T value);

    /**
     * Fail the call ({@code RpcAsyncAbortCall}).
     * @param status the status the caller sees
     * @param message the message the caller sees
     * @throws IllegalStateException if the reply was already completed or aborted
     */
    void abort(Status status, String message);

    /**
     * Whether the reply was completed or aborted.
     * @return whether the reply is done
     */
    boolean isDone();
}
