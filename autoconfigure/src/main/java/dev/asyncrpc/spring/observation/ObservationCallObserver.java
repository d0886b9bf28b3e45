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
 * Observes every call with Micrometer Observation: an {@code asyncrpc.client.requests}
 * observation on the caller's side and an {@code asyncrpc.server.requests} one on the server's,
 * started when the call starts and stopped when it ends. The client's observation has the
 * caller's current observation as its parent, and a propagating handler writes its trace context
 * into the call's metadata; the server's reads it from there, so that with Micrometer Tracing the
 * server span is a child of the client span.
 *
 * <p>Neither observation is made current on a thread: a call ends on another thread than the one
 * it started on, and the implementation of an asynchronous operation returns before its call
 * ends. An implementation that needs the caller's trace context finds it in
 * {@code ServerCall.metadata()}.
 */
public final class ObservationCallObserver implements CallObserver {

    private static final DefaultAsyncRpcClientObservationConvention DEFAULT_CLIENT = new DefaultAsyncRpcClientObservationConvention();

    private static final DefaultAsyncRpcServerObservationConvention DEFAULT_SERVER = new DefaultAsyncRpcServerObservationConvention();

    private final ObservationRegistry registry;

    private final @Nullable AsyncRpcClientObservationConvention clientConvention;

    private final @Nullable AsyncRpcServerObservationConvention serverConvention;

    /**
     * Observe calls with the default conventions.
     * @param registry where observations are made
     */
    public ObservationCallObserver(ObservationRegistry registry) {
        this(registry, null, null);
    }

    /**
     * Observe calls.
     * @param registry where observations are made
     * @param clientConvention the caller's convention, or {@code null} for the default
     * @param serverConvention the server's convention, or {@code null} for the default
     */
    public ObservationCallObserver(ObservationRegistry registry, @Nullable AsyncRpcClientObservationConvention clientConvention,
            @Nullable AsyncRpcServerObservationConvention serverConvention) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.clientConvention = clientConvention;
        this.serverConvention = serverConvention;
    }

    @Override
    public @Nullable Object onStart(CallInfo call, Map<String, String> metadata) {
        if (this.registry.isNoop()) {
            return null;
        }
        if (call.side() == CallInfo.Side.CLIENT) {
            AsyncRpcClientObservationContext context = new AsyncRpcClientObservationContext(call, metadata);
            return AsyncRpcObservationDocumentation.CLIENT.start(this.clientConvention, DEFAULT_CLIENT, () -> context, this.registry);
        }
        AsyncRpcServerObservationContext context = new AsyncRpcServerObservationContext(call, metadata);
        return AsyncRpcObservationDocumentation.SERVER.start(this.serverConvention, DEFAULT_SERVER, () -> context, this.registry);
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
