package dev.asyncrpc.spring.observation;

import java.util.Map;

import dev.asyncrpc.CallObserver.CallInfo;
import dev.asyncrpc.Status;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.ReceiverContext;
import org.jspecify.annotations.Nullable;

/**
 * The context of a server's observation of one call. Its carrier is the metadata the client sent,
 * from which a propagating handler (Micrometer Tracing) reads the caller's trace context.
 */
public final class AsyncRpcServerObservationContext extends ReceiverContext<Map<String, String>> {

    private final CallInfo call;

    private @Nullable Status status;

    private boolean ended;

    /**
     * Create the context of a call that starts.
     * @param call what is called
     * @param metadata the metadata the client sent
     */
    public AsyncRpcServerObservationContext(CallInfo call, Map<String, String> metadata) {
        super((carrier, key) -> (carrier != null) ? carrier.get(key) : null, Kind.SERVER);
        this.call = call;
        setCarrier(metadata);
    }

    /**
     * What is called.
     * @return the call
     */
    public CallInfo getCall() {
        return this.call;
    }

    /**
     * How the call ended.
     * @return the status, or {@code null} while it runs and when it succeeded
     */
    public @Nullable Status getStatus() {
        return this.status;
    }

    /**
     * Whether the call has ended (and {@link #getStatus()} tells how).
     * @return whether the call has ended
     */
    public boolean isEnded() {
        return this.ended;
    }

    /**
     * Record that the call ended, and how.
     * @param status the status, or {@code null} for success
     */
    public void setStatus(@Nullable Status status) {
        this.status = status;
        this.ended = true;
    }
}
