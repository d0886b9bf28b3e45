package dev.asyncrpc.internal.client;

import java.util.concurrent.CompletableFuture;

/** Adapts call futures to Reactor; only loaded when an operation returns {@code Mono}. */
final class ReactorSupport {

    private ReactorSupport() {
    }

    /** The call has been issued already; cancelling the subscription cancels the call abortively. */
    static Object mono(CompletableFuture<Object> call) {
        return reactor.core.publisher.Mono.fromFuture(call);
    }
}
