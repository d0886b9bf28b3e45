package dev.asyncrpc.internal.client;

import java.util.concurrent.CompletableFuture;

/** Adapts call futures and pipes to Reactor; only loaded when an operation returns {@code Mono} or {@code Flux}. */
final class ReactorSupport {

    private ReactorSupport() {
    }

    /** The call has been issued already; cancelling the subscription cancels the call abortively. */
    static Object mono(CompletableFuture<Object> call) {
        return reactor.core.publisher.Mono.fromFuture(call);
    }

    /**
     * A caller's {@code Flux} return: the elements of the call's implicit out-pipe, completing when
     * the pipe has ended and the call succeeded, failing with the call's (or the pipe's) failure.
     * The call has been issued already; cancelling the subscription cancels the call abortively.
     */
    static Object flux(CompletableFuture<Object> call, java.util.concurrent.Flow.Publisher<?> pipe) {
        return reactor.adapter.JdkFlowAdapter.flowPublisherToFlux(pipe)
                .concatWith(reactor.core.publisher.Mono.fromFuture(call).then(reactor.core.publisher.Mono.empty()));
    }
}
