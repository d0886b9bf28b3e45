package dev.asyncrpc;

import java.util.Map;

/**
 * Observes calls on a client or a server: the hook metrics and tracing plug into (the Spring Boot
 * auto-configuration registers a Micrometer one). Methods run on the thread that starts or ends the
 * call and must be quick and must not throw; the runtime logs and ignores a failing observer.
 */
public interface CallObserver {

    /** An observer that does nothing. */
    CallObserver NONE = new CallObserver() {
    };

    /**
     * A call starts. On the client, {@code metadata} is writable: entries put there travel with the
     * call (trace context); on the server it holds what the client sent.
     * @param call what is called
     * @param metadata the call's metadata
     * @return a context handed back to {@link #onEnd}, or {@code null}
     */
    default Object onStart(CallInfo call, Map<String, String> metadata) {
        return null;
    }

    /**
     * A call ended.
     * @param call what was called
     * @param context what {@link #onStart} returned
     * @param status {@code null} when the call succeeded, else why it failed
     */
    default void onEnd(CallInfo call, Object context, Status status) {
    }

    /**
     * The caller cancelled a call.
     * @param call the call
     * @param mode how
     */
    default void onCancel(CallInfo call, CancelMode mode) {
    }

    /**
     * A connection was opened or closed.
     * @param side which end this is
     * @param peer the other end's address
     * @param open {@code true} when opened
     */
    default void onConnection(CallInfo.Side side, String peer, boolean open) {
    }

    /**
     * A GOAWAY was sent (server) or received (client).
     * @param side which end this is
     * @param peer the other end's address
     */
    default void onGoAway(CallInfo.Side side, String peer) {
    }

    /**
     * What a call is.
     *
     * @param side the end that observes
     * @param service the service name
     * @param operation the operation name
     * @param async whether this end uses an asynchronous handle ({@link AsyncRemote})
     */
    record CallInfo(Side side, String service, String operation, boolean async) {

        /** Which end of a call. */
        public enum Side {
            /** The caller. */
            CLIENT,
            /** The implementer. */
            SERVER
        }
    }
}
