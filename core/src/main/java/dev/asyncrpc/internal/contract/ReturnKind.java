package dev.asyncrpc.internal.contract;

/** How a method hands back an operation's value. */
public enum ReturnKind {
    /** Plain: the value is returned (the caller blocks; the implementer returns it). */
    VALUE,
    /** The caller gets an {@code AsyncCall}. */
    ASYNC_CALL,
    /** A {@code CompletableFuture}. */
    COMPLETABLE_FUTURE,
    /** A {@code CompletionStage}. */
    COMPLETION_STAGE,
    /** A Reactor {@code Mono}. */
    MONO,
    /** The implementer returns void and completes an {@code AsyncReply} parameter. */
    REPLY_HANDLE,
    /**
     * A Reactor {@code Flux<T>} return, on either side: shorthand for an out-pipe of {@code T} after the declared
     * pipes; the operation's value is {@code Void}.
     */
    FLUX;

    public boolean isAsync() {
        return this != VALUE;
    }
}
