package dev.asyncrpc.internal.contract;

import java.util.concurrent.Flow;

/**
 * The Java type a side declares for an in-pipe parameter. Only the declaring side sees it: every
 * binding is the same in-pipe on the wire. A caller passes a publisher of the declared type and
 * the runtime feeds the pipe from it with demand mapped to credit; an implementer receives the
 * pipe's receiving end as that type.
 */
public enum PipeBinding {

    /** {@code InPipe<T>} or {@code OutPipe<T>}: the pipe itself. */
    PIPE(null),

    /** {@code java.util.concurrent.Flow.Publisher<T>}. */
    FLOW_PUBLISHER(Flow.Publisher.class.getName()),

    /** Reactive Streams' {@code org.reactivestreams.Publisher<T>}. */
    REACTIVE_STREAMS_PUBLISHER("org.reactivestreams.Publisher"),

    /** Reactor's {@code reactor.core.publisher.Flux<T>}. */
    FLUX("reactor.core.publisher.Flux");

    private final String typeName;

    PipeBinding(String typeName) {
        this.typeName = typeName;
    }

    /**
     * The publisher binding of a parameter type.
     * @return the binding, or {@code null} when the type is not one of the publisher types
     */
    static PipeBinding ofPublisher(Class<?> type) {
        for (PipeBinding binding : values()) {
            if (binding.typeName != null && binding.typeName.equals(type.getName())) {
                return binding;
            }
        }
        return null;
    }

    /** The simple name of the declared type, for messages. */
    public String simpleName() {
        return (this.typeName != null) ? this.typeName.substring(this.typeName.lastIndexOf('.') + 1) : "InPipe";
    }
}
