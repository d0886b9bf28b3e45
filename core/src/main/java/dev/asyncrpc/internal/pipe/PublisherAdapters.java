package dev.asyncrpc.internal.pipe;

import java.util.concurrent.Flow;

import dev.asyncrpc.internal.contract.PipeBinding;

/**
 * Adapts in-pipes declared as publishers ({@link PipeBinding}) and {@code Flux} returns. Reactive
 * Streams and Reactor are optional: their classes are touched only by the nested holders, which
 * load when an operation declares such a type (and so when the library is present).
 */
final class PublisherAdapters {

    private PublisherAdapters() {
    }

    /**
     * A caller's publisher argument as a {@link Flow.Publisher} that an in-pipe can subscribe to.
     * @throws IllegalArgumentException when {@code publisher} is not of the declared type
     */
    static Flow.Publisher<?> toFlow(Object publisher, PipeBinding binding) {
        return switch (binding) {
            case FLOW_PUBLISHER -> (Flow.Publisher<?>) publisher;
            case REACTIVE_STREAMS_PUBLISHER, FLUX -> ReactiveStreams.toFlow(publisher);
            case PIPE -> throw new IllegalArgumentException("not a publisher binding");
        };
    }

    /** An implementer's receiving end as the type it declares. */
    static Object fromFlow(Flow.Publisher<?> pipe, PipeBinding binding) {
        return switch (binding) {
            case PIPE, FLOW_PUBLISHER -> pipe;
            case REACTIVE_STREAMS_PUBLISHER -> ReactiveStreams.toPublisher(pipe);
            case FLUX -> Reactor.toFlux(pipe);
        };
    }

    /** Subscribe an implementer's sending end to the {@code Flux} its method returned. */
    static void subscribe(Object flux, Flow.Subscriber<Object> pipe) {
        ReactiveStreams.subscribe(flux, pipe);
    }

    private static final class ReactiveStreams {

        @SuppressWarnings("unchecked")
        static Flow.Publisher<?> toFlow(Object publisher) {
            return org.reactivestreams.FlowAdapters.toFlowPublisher((org.reactivestreams.Publisher<Object>) publisher);
        }

        static Object toPublisher(Flow.Publisher<?> pipe) {
            return org.reactivestreams.FlowAdapters.toPublisher(pipe);
        }

        @SuppressWarnings("unchecked")
        static void subscribe(Object publisher, Flow.Subscriber<Object> subscriber) {
            ((org.reactivestreams.Publisher<Object>) publisher).subscribe(org.reactivestreams.FlowAdapters.toSubscriber(subscriber));
        }
    }

    private static final class Reactor {

        static Object toFlux(Flow.Publisher<?> pipe) {
            return reactor.adapter.JdkFlowAdapter.flowPublisherToFlux(pipe);
        }
    }
}
