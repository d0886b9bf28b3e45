package dev.asyncrpc.internal.client;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import dev.asyncrpc.CallListener;
import dev.asyncrpc.ClientInterceptor;
import dev.asyncrpc.RemoteCallException;
import dev.asyncrpc.Status;

/**
 * The interceptors of a client, resolved per service: the global ones and the service's own, in
 * the order they were registered. Immutable; {@link #run} passes one call through them.
 */
public final class ClientInterceptors {

    private static final ClientInterceptor[] EMPTY = new ClientInterceptor[0];

    /** No interceptors. */
    public static final ClientInterceptors NONE = new ClientInterceptors(List.of());

    private final ClientInterceptor[] global;
    private final Map<String, ClientInterceptor[]> byService = new HashMap<>();

    /**
     * @param entries the registrations in order: a service name ({@code null} for every service) and its interceptor
     */
    public ClientInterceptors(List<Map.Entry<String, ClientInterceptor>> entries) {
        List<ClientInterceptor> all = new ArrayList<>();
        Set<String> services = new LinkedHashSet<>();
        for (Map.Entry<String, ClientInterceptor> e : entries) {
            Objects.requireNonNull(e.getValue(), "interceptor");
            if (e.getKey() == null) {
                all.add(e.getValue());
            }
            else {
                services.add(e.getKey());
            }
        }
        this.global = all.toArray(EMPTY);
        for (String service : services) {
            List<ClientInterceptor> chain = new ArrayList<>();
            for (Map.Entry<String, ClientInterceptor> e : entries) {
                if (e.getKey() == null || e.getKey().equals(service)) {
                    chain.add(e.getValue());
                }
            }
            this.byService.put(service, chain.toArray(EMPTY));
        }
    }

    /** The interceptors a call of {@code service} passes, in order. */
    ClientInterceptor[] forService(String service) {
        ClientInterceptor[] chain = this.byService.isEmpty() ? null : this.byService.get(service);
        return (chain != null) ? chain : this.global;
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
    record InterceptedCall(String service, String operation, boolean isAsync, String address, Map<String, String> metadata)
            implements ClientInterceptor.Call {
    }
}
