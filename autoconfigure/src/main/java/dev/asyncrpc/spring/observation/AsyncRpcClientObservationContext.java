package dev.asyncrpc.spring.observation;

import java.util.Map;

import dev.asyncrpc.CallObserver.CallInfo;
import dev.asyncrpc.Status;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.SenderContext;
import org.jspecify.annotations.Nullable;

/**
 * The context of a caller's observation of one call. Its carrier is the call's metadata: what a
 * propagating handler (Micrometer Tracing) injects there travels to the server with the call.
 */
public final class AsyncRpcClientObservationContext extends SenderContext<Map<String, String>> {

    private final CallInfo call;

    private @Nullable Status status;

    private boolean ended;

    /**
     * Create the context of a call that starts.
     * @param call what is called
     * @param metadata the call's writable metadata
     */
    public AsyncRpcClientObservationContext(CallInfo call, Map<String, String> metadata) {
        super((carrier, key, value) -> {
            if (carrier != null) {
                carrier.put(key, value);
            }
        }, Kind.CLIENT);
        this.call = call;
        setCarrier(metadata);
        setRemoteServiceName(call.service());
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
