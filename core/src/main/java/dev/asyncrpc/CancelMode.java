package dev.asyncrpc;

/** How {@link AsyncCall#cancel(CancelMode)} cancels ({@code RpcAsyncCancelCall}'s {@code fAbort}). */
public enum CancelMode {

    /** Complete locally at once as cancelled, tell the server, ignore its late reply. */
    ABORTIVE,

    /** Tell the server and keep waiting: the call may still end with a value, an error or cancelled. */
    GRACEFUL
}
