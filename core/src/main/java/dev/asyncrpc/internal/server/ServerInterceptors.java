package dev.asyncrpc.internal.server;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import dev.asyncrpc.ServerInterceptor;

/**
 * The interceptors of a server, resolved per service: the global ones and the service's own, in
 * the order they were registered. Immutable; {@link #begin} starts one call's interception.
 */
public final class ServerInterceptors {

    private static final ServerInterceptor[] EMPTY = new ServerInterceptor[0];

    /** No interceptors. */
    public static final ServerInterceptors NONE = new ServerInterceptors(List.of());

    private final ServerInterceptor[] global;
    private final Map<String, ServerInterceptor[]> byService = new HashMap<>();

    /**
     * @param entries the registrations in order: a service name ({@code null} for every service) and its interceptor
     */
    public ServerInterceptors(List<Map.Entry<String, ServerInterceptor>> entries) {
        List<ServerInterceptor> all = new ArrayList<>();
        Set<String> services = new LinkedHashSet<>();
        for (Map.Entry<String, ServerInterceptor> e : entries) {
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
            List<ServerInterceptor> chain = new ArrayList<>();
            for (Map.Entry<String, ServerInterceptor> e : entries) {
                if (e.getKey() == null || e.getKey().equals(service)) {
                    chain.add(e.getValue());
                }
            }
            this.byService.put(service, chain.toArray(EMPTY));
        }
    }

    /** The interceptors a call of {@code service} passes, in order. */
    ServerInterceptor[] forService(String service) {
        ServerInterceptor[] chain = this.byService.isEmpty() ? null : this.byService.get(service);
        return (chain != null) ? chain : this.global;
    }

    /** Start intercepting {@code call}, or {@code null} when its service has no interceptors. */
    Interception begin(ServerCallContext call) {
        ServerInterceptor[] chain = forService(call.service());
        return (chain.length == 0) ? null : new Interception(call, chain, call.method.isAsync());
    }
}
