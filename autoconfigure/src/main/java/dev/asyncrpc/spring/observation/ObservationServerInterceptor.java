package dev.asyncrpc.spring.observation;

import java.util.Objects;

import dev.asyncrpc.CallListener;
import dev.asyncrpc.CallObserver.CallInfo;
import dev.asyncrpc.RemoteCallException;
import dev.asyncrpc.ServerCall;
import dev.asyncrpc.ServerInterceptor;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Observes the server's side of every call with Micrometer Observation: an
 * {@code asyncrpc.server.requests} observation whose parent is the trace context the caller sent in
 * the call's metadata, started when the call passes the interceptors and stopped when its reply is
 * decided. The observation is made current (its scope opened) while the implementation runs, and
 * again on every thread the runtime runs the call's callbacks on (see
 * {@link dev.asyncrpc.CallContext}), so that with Micrometer Tracing the implementation's log lines
 * carry the caller's trace id and spans it starts are children of the server span.
 *
 * <p>Runs early ({@link #ORDER}), so that later interceptors (security, MDC) run inside the span.
 *
 * <p>It never blocks: starting and stopping an observation runs the registry's
 * {@link io.micrometer.observation.ObservationHandler handlers} on the calling thread, and
 * Micrometer requires them to return at once (Spring WebFlux and Reactor Netty run them on their
 * event loops too). So it lets the server run a call inline, on the event loop that read it
 * ({@link #mayRunOnEventLoop}); the time it takes counts with the method's for the inline gate, which
 * sends an operation back to the workers if the two together prove slow.
 */
public final class ObservationServerInterceptor implements ServerInterceptor {

    /** The order the auto-configuration gives this interceptor: before application interceptors. */
    public static final int ORDER = Integer.MIN_VALUE + 1000;

    private static final DefaultAsyncRpcServerObservationConvention DEFAULT_SERVER = new DefaultAsyncRpcServerObservationConvention();

    private final ObservationRegistry registry;

    private final @Nullable AsyncRpcServerObservationConvention convention;

    /**
     * Observe calls.
     * @param registry where observations are made
     * @param convention the server's convention, or {@code null} for the default
     */
    public ObservationServerInterceptor(ObservationRegistry registry, @Nullable AsyncRpcServerObservationConvention convention) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.convention = convention;
    }

    /**
     * Always {@code true}: observation handlers must not block (see the class javadoc), so
     * observing a call never keeps it off the event loop.
     */
    @Override
    public boolean mayRunOnEventLoop(ServerCall call) {
        return true;
    }

    @Override
    public @Nullable CallListener intercept(Call call) {
        if (this.registry.isNoop()) {
            return null;
        }
        CallInfo info = new CallInfo(CallInfo.Side.SERVER, call.service(), call.operation(), call.isAsync());
        AsyncRpcServerObservationContext context = new AsyncRpcServerObservationContext(info, call.metadata());
        Observation observation = AsyncRpcObservationDocumentation.SERVER.start(this.convention, DEFAULT_SERVER, () -> context, this.registry);
        call.attach(() -> {
            Observation.Scope scope = observation.openScope();
            return scope::close;
        });
        return (status, message) -> {
            context.setStatus(status);
            if (status != null) {
                observation.error(new RemoteCallException(status, call.service() + "/" + call.operation() + " ended with " + status));
            }
            observation.stop();
        };
    }
}
