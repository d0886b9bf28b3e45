package dev.asyncrpc;

/** The state of a call as seen through its handle ({@code RpcAsyncGetCallStatus}). */
public enum CallState {

    /** The call has been issued and has no outcome yet. */
    PENDING,

    /** The call ended with a value. */
    COMPLETE,

    /** The call ended with an error other than cancellation. */
    FAILED,

    /** The call ended cancelled. */
    CANCELLED;

    /**
     * Whether this state is final.
     * @return {@code true} for every state but {@link #PENDING}
     */
    public boolean isDone() {
        return this != PENDING;
    }
}
