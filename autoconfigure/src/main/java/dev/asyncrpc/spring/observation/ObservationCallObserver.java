package dev.asyncrpc.spring.observation;

import java.util.Map;
import java.util.Objects;

import dev.asyncrpc.CallObserver;
import dev.asyncrpc.RemoteCallException;
import dev.asyncrpc.Status;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Observes the caller's side of every call with Micrometer Observation: an
 * {@code asyncrpc.client.requests} observation, started when the call starts and stopped when it
 * ends, whose parent is the caller's current observation; a propagating handler writes its trace
 * context into the call's metadata. The server's side is observed by
 * {@link ObservationServerInterceptor}, which reads that context, so that with Micrometer Tracing
 * the server span is a child of the client span.
 *
 * <p>The client observation is not made current on a thread: a call ends on another thread than
 * the one it started on.
 */
public final class ObservationCallObserver implements CallObserver {

    private static final DefaultAsyncRpcClientObservationConvention DEFAULT_CLIENT = new DefaultAsyncRpcClientObservationConvention();

    private final ObservationRegistry registry;

    private final @Nullable AsyncRpcClientObservationConvention clientConvention;

    /**
     * Observe calls with the default conventions.
     * @param registry where observations are made
     */
    public ObservationCallObserver(ObservationRegistry registry) {
        this(registry, null);
    }

    /**
     * Observe calls.
     * @param registry where observations are made
     * @param clientConvention the caller's convention, or {@code null} for the default
     */
    public ObservationCallObserver(ObservationRegistry registry, @Nullable AsyncRpcClientObservationConvention clientConvention) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.clientConvention = clientConvention;
    }

    @Override
    public @Nullable Object onStart(CallInfo call, Map<String, String> metadata) {
        if (this.registry.isNoop()) {
            return null;
        }
        if (call.side() != CallInfo.Side.CLIENT) {
            return null; // the server's side: ObservationServerInterceptor
        }
        AsyncRpcClientObservationContext context = new AsyncRpcClientObservationContext(call, metadata);
        return AsyncRpcObservationDocumentation.CLIENT.start(this.clientConvention, DEFAULT_CLIENT, () -> context, this.registry);
    }

    @Override
    public void onEnd(CallInfo call, @Nullable Object context, @Nullable Status status) {
        if (!(context instanceof Observation observation) || observation.isNoop()) {
            return;
        }
        Observation.Context c = observation.getContext();
        if (c instanceof AsyncRpcClientObservationContext client) {
            client.setStatus(status);
        }
        else if (c instanceof AsyncRpcServerObservationContext server) {
            server.setStatus(status);
        }
        if (status != null) {
            // marks the span as failed; the timer's "error" tag then reads RemoteCallException
            observation.error(new RemoteCallException(status, call.service() + "/" + call.operation() + " ended with " + status));
        }
        observation.stop();
    }
}
