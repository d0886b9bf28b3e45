package dev.asyncrpc.spring.autoconfigure.console;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

import dev.asyncrpc.AsyncRpcClient;
import dev.asyncrpc.AsyncRpcServer;
import dev.asyncrpc.CallObserver.CallInfo;
import dev.asyncrpc.PipeInfo;
import dev.asyncrpc.RemoteService;
import org.jspecify.annotations.Nullable;

/**
 * What the console can show and call: every served operation with its parameter and result
 * types as JSON Schema, its pipes, whether the implementation is asynchronous, the caller view's
 * ordering and deadline; and the remote services the application imports, with their targets.
 * <p>
 * To call an operation the console needs a caller's view of it: a {@code @RemoteService}
 * interface of the application (an imported one, or one an endpoint implements) whose method of
 * that name takes no {@code AsyncReply} or {@code ServerCall}. Operations without one are shown
 * but cannot be tried.
 */
final class ConsoleCatalog {

    private final Supplier<@Nullable AsyncRpcServer> server;

    private final Supplier<Map<String, AsyncRpcClient>> clients;

    private final Supplier<Collection<Class<?>>> interfaces;

    /**
     * @param server the running server, or {@code null}
     * @param clients the imported services' clients by service name
     * @param interfaces the application's {@code @RemoteService} interfaces (imported and implemented)
     */
    ConsoleCatalog(Supplier<@Nullable AsyncRpcServer> server, Supplier<Map<String, AsyncRpcClient>> clients,
            Supplier<Collection<Class<?>>> interfaces) {
        this.server = server;
        this.clients = clients;
        this.interfaces = interfaces;
    }

    @Nullable AsyncRpcServer server() {
        return this.server.get();
    }

    Map<String, AsyncRpcClient> clients() {
        return this.clients.get();
    }

    /**
     * The caller's view of an operation, preferring an asynchronous method (a cancellable call that
     * holds no thread) over a plain one when the application has both.
     * @return the signature, or {@code null} when the application has no caller's view of it
     */
    @Nullable OperationSignature callerView(String service, String operation) {
        OperationSignature found = null;
        for (OperationSignature signature : signatures(service, operation)) {
            if (signature.callerView() && (found == null || (!found.async() && signature.async()))) {
                found = signature;
            }
        }
        return found;
    }

    /** Every signature the application declares for an operation, caller's and implementer's views. */
    List<OperationSignature> signatures(String service, String operation) {
        List<OperationSignature> found = new ArrayList<>();
        for (Class<?> type : this.interfaces.get()) {
            RemoteService remote = type.getAnnotation(RemoteService.class);
            if (remote == null || !remote.value().equals(service)) {
                continue;
            }
            // a client proxies a whole interface: one implementer-only method makes it no caller's view
            boolean proxiable = java.util.Arrays.stream(type.getMethods())
                .allMatch((m) -> m.isDefault() || OperationSignature.of(m).callerView());
            for (Method method : type.getMethods()) {
                if (method.getName().equals(operation) && !method.isDefault()) {
                    OperationSignature signature = OperationSignature.of(method);
                    found.add(proxiable ? signature : signature.notCallable());
                }
            }
        }
        return found;
    }

    /** The model the page renders. */
    Map<String, Object> model() {
        Map<String, Object> model = new LinkedHashMap<>();
        AsyncRpcServer s = this.server.get();
        List<Object> services = new ArrayList<>();
        if (s != null) {
            model.put("server", Map.of("address", s.address(), "accepting", s.isAccepting()));
            Map<String, List<Object>> byService = new LinkedHashMap<>();
            for (CallInfo op : s.operations()) {
                byService.computeIfAbsent(op.service(), (k) -> new ArrayList<>()).add(operation(s, op));
            }
            byService.forEach((name, operations) -> services.add(Map.of("name", name, "operations", operations)));
        }
        model.put("services", services);
        Map<String, Object> imports = new TreeMap<>();
        this.clients.get().forEach((service, client) -> {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("target", client.address());
            c.put("endpoints", client.endpoints());
            c.put("connected", client.connections() > 0);
            c.put("pendingCalls", client.pendingCalls());
            imports.put(service, c);
        });
        model.put("imports", imports);
        return model;
    }

    private Map<String, Object> operation(AsyncRpcServer s, CallInfo op) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("name", op.operation());
        d.put("asyncImplementation", op.async());
        List<String> pipes = new ArrayList<>();
        for (PipeInfo.Direction direction : s.pipes(op)) {
            pipes.add(direction.name());
        }
        d.put("pipes", pipes);
        OperationSignature caller = callerView(op.service(), op.operation());
        List<OperationSignature> all = signatures(op.service(), op.operation());
        OperationSignature shown = (caller != null) ? caller : (all.isEmpty() ? null : all.get(0));
        d.put("callable", caller != null);
        if (caller != null) {
            d.put("callerView", caller.method().getDeclaringClass().getName());
            d.put("ordering", caller.ordering().name());
            d.put("timeout", caller.timeout().isEmpty() ? "client default" : caller.timeout());
        }
        if (shown != null) {
            List<Object> params = new ArrayList<>();
            Map<String, Object> properties = new LinkedHashMap<>();
            List<String> required = new ArrayList<>();
            for (OperationSignature.Param p : shown.parameters()) {
                Map<String, Object> param = new LinkedHashMap<>();
                param.put("name", p.name());
                param.put("pipe", p.pipe());
                param.put("schema", JsonSchemas.of(p.type()));
                params.add(param);
                if (p.pipe() == null) {
                    properties.put(p.name(), JsonSchemas.of(p.type()));
                    required.add(p.name());
                }
            }
            d.put("parameters", params);
            Map<String, Object> argumentsSchema = new LinkedHashMap<>();
            argumentsSchema.put("type", "object");
            argumentsSchema.put("properties", properties);
            argumentsSchema.put("required", required);
            d.put("argumentsSchema", argumentsSchema);
            d.put("result", JsonSchemas.of(shown.resultType()));
            d.put("resultStream", shown.resultStream());
        }
        return d;
    }
}
