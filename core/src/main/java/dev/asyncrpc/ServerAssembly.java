package dev.asyncrpc;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;

import dev.asyncrpc.internal.MemoryBudget;
import dev.asyncrpc.internal.codec.Codecs;
import dev.asyncrpc.internal.protocol.Settings;
import dev.asyncrpc.internal.server.ExceptionMapping;
import dev.asyncrpc.internal.server.ServerBudgets;
import dev.asyncrpc.internal.server.ServerInterceptors;
import dev.asyncrpc.internal.server.ServerRuntime;
import dev.asyncrpc.internal.server.ServiceRegistry;
import dev.asyncrpc.internal.transport.Endpoint;
import dev.asyncrpc.internal.transport.Transports;

/**
 * Builds an {@link AsyncRpcServer} from the settings of its {@link AsyncRpcServer.Builder}: derives
 * what was left to defaults (the worker pool, the budget of calls in progress and its share per
 * connection, {@code MAX_CONCURRENT_CALLS}, the memory budget), takes the event loops of shared
 * resources or makes its own, checks what can only be checked once every setting is known (an
 * interceptor's service is served), and wires the runtime. The builder only collects and checks
 * settings one at a time.
 */
final class ServerAssembly {

    private ServerAssembly() {
    }

    /**
     * @throws IllegalArgumentException if no service was given, an implementation is invalid, or an
     *         interceptor names a service not served
     * @throws IllegalStateException if the shared resources are closed
     */
    static AsyncRpcServer assemble(AsyncRpcServer.Builder b) {
        if (b.services.isEmpty()) {
            throw new IllegalArgumentException("services: none (expected: at least one implementation of a @RemoteService interface)");
        }
        ServiceRegistry registry = ServiceRegistry.of(b.services, new Codecs(b.settings.maxFrameSize()));
        List<String> names = registry.services().stream().map(s -> s.name()).distinct().toList();
        for (Map.Entry<String, ServerInterceptor> e : b.interceptors) {
            if (e.getKey() != null && !names.contains(e.getKey())) {
                throw new IllegalArgumentException("interceptor service: '" + e.getKey() + "' (expected: one of the services served " + names + ")");
            }
        }
        AsyncRpcResources shared = b.resources;
        if (shared != null && shared.isClosed()) {
            throw new IllegalStateException("resources: closed (expected: open AsyncRpcResources; the owner closed them)");
        }
        // every setting is valid: the runtime is made from here on (its event loops and workers start lazily)
        Endpoint endpoint = (b.address != null) ? Endpoint.parse(b.address) : new Endpoint(Endpoint.Kind.TCP, b.host, b.port, null);
        boolean owns = b.executor == null;
        ExecutorService exec = owns ? ServerBudgets.workerPool("asyncrpc-worker", b.workerThreads, b.maxParkedWorkers, b.workerKeepAlive)
                : b.executor;
        int budget = (b.maxCallsInProgress > 0) ? b.maxCallsInProgress : ServerBudgets.maxCallsInProgress();
        Settings limits = b.maxConcurrentCallsSet ? b.settings : b.settings.withMaxConcurrentCalls(ServerBudgets.maxConcurrentCalls(budget));
        int perConnection = (b.maxWorkersPerConnection > 0) ? b.maxWorkersPerConnection : ServerBudgets.workersPerConnection(b.workerThreads);
        Transports transports = (shared != null) ? shared.transports() : new Transports("asyncrpc-server-io", b.ioThreads, b.transport);
        ServerRuntime runtime = new ServerRuntime(endpoint, registry, limits, exec, owns, transports, shared == null, b.sslContext,
                nettyClientAuth(b.clientAuth), b.observer);
        runtime.directDispatch(b.directDispatch);
        runtime.inlineDispatchLimit(b.inlineDispatchLimit.toNanos());
        runtime.options(b.options);
        runtime.maxConnections(b.maxConnections);
        runtime.memoryBudget(new MemoryBudget(b.memoryBudget > 0 ? b.memoryBudget : MemoryBudget.defaultLimit()));
        runtime.limits(budget, perConnection);
        runtime.interceptors(new ServerInterceptors(List.copyOf(b.interceptors)));
        runtime.exceptionMapping(new ExceptionMapping(List.copyOf(b.exceptionMappers)));
        AsyncRpcServer server = new AsyncRpcServer(runtime, names, registry.operations(), registry.pipeDirections(), shared);
        if (shared != null) {
            shared.borrow(server);
        }
        return server;
    }

    private static io.netty.handler.ssl.ClientAuth nettyClientAuth(AsyncRpcServer.ClientAuth auth) {
        return switch (auth) {
            case NONE -> io.netty.handler.ssl.ClientAuth.NONE;
            case WANT -> io.netty.handler.ssl.ClientAuth.OPTIONAL;
            case NEED -> io.netty.handler.ssl.ClientAuth.REQUIRE;
        };
    }
}
