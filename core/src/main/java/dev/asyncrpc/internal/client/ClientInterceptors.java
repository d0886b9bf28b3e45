package dev.asyncrpc.internal.client;

import java.util.List;
import java.util.Map;

import dev.asyncrpc.CallListener;
import dev.asyncrpc.ClientInterceptor;
import dev.asyncrpc.RemoteCallException;
import dev.asyncrpc.Status;
import dev.asyncrpc.internal.PerService;

/**
 * The interceptors of a client, resolved per service: the global ones and the service's own, in
 * the order they were registered. Immutable; {@link #run} passes one call through them.
 */
public final class ClientInterceptors {

    /** No interceptors. */
    public static final ClientInterceptors NONE = new ClientInterceptors(List.of());

    private final PerService<ClientInterceptor> chains;

    /**
     * @param entries the registrations in order: a service name ({@code null} for every service) and its interceptor
     */
    public ClientInterceptors(List<Map.Entry<String, ClientInterceptor>> entries) {
        this.chains = new PerService<>(entries, ClientInterceptor[]::new);
    }

    /** The interceptors a call of {@code service} passes, in order. */
    ClientInterceptor[] forService(String service) {
        return this.chains.forService(service);
    }

    /**
     * Pass a call through {@code chain} on this thread.
     * @param call the call (its metadata writable)
     * @param listeners receives the listeners the interceptors returned, in interceptor order
     * @return {@code null} to send the call, or why it fails without being sent
     */
    static RemoteCallException run(ClientInterceptor[] chain, ClientInterceptor.Call call, List<CallListener> listeners) {
        for (ClientInterceptor interceptor : chain) {
            try {
                CallListener listener = interceptor.intercept(call);
                if (listener != null) {
                    listeners.add(listener);
                }
            }
            catch (RemoteCallException ex) {
                return ex;
            }
            catch (RuntimeException ex) {
                return new RemoteCallException(Status.INTERNAL, "a client interceptor of " + call.service() + "/" + call.operation()
                        + " failed: " + ex, Map.of(), ex);
            }
        }
        return null;
    }

    /** Tell {@code listeners} the outcome, in reverse order; a failing one is logged. */
    static void completed(List<CallListener> listeners, Status status, String message) {
        for (int i = listeners.size() - 1; i >= 0; i--) {
            try {
                listeners.get(i).onComplete(status, message);
            }
            catch (RuntimeException ex) {
                System.getLogger(ClientInterceptors.class.getName()).log(System.Logger.Level.WARNING, "a client CallListener failed", ex);
            }
        }
    }

    /** The view of one call that client interceptors get. */
    record InterceptedCall(String service, String operation, boolean isAsync, String address, boolean isTls, Map<String, String> metadata)
            implements ClientInterceptor.Call {
    }
}
