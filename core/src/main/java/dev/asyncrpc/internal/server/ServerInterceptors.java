package dev.asyncrpc.internal.server;

import java.util.List;
import java.util.Map;

import dev.asyncrpc.ServerInterceptor;
import dev.asyncrpc.internal.PerService;

/**
 * The interceptors of a server, resolved per service: the global ones and the service's own, in
 * the order they were registered. Immutable; {@link #begin} starts one call's interception.
 */
public final class ServerInterceptors {

    /** No interceptors. */
    public static final ServerInterceptors NONE = new ServerInterceptors(List.of());

    private final PerService<ServerInterceptor> chains;

    /**
     * @param entries the registrations in order: a service name ({@code null} for every service) and its interceptor
     */
    public ServerInterceptors(List<Map.Entry<String, ServerInterceptor>> entries) {
        this.chains = new PerService<>(entries, ServerInterceptor[]::new);
    }

    /** The interceptors a call of {@code service} passes, in order. */
    ServerInterceptor[] forService(String service) {
        return this.chains.forService(service);
    }

    /** Whether every interceptor of {@code call}'s service lets it run on an event loop (no interceptor: yes). */
    boolean mayRunOnEventLoop(ServerCallContext call) {
        for (ServerInterceptor interceptor : call.method.interceptors) {
            if (!interceptor.mayRunOnEventLoop(call)) {
                return false;
            }
        }
        return true;
    }

    /** Start intercepting {@code call}, or {@code null} when its service has no interceptors. */
    Interception begin(ServerCallContext call) {
        ServerInterceptor[] chain = call.method.interceptors; // resolved once per method, not per call
        return (chain.length == 0) ? null : new Interception(call, chain, call.method.isAsync());
    }
}
