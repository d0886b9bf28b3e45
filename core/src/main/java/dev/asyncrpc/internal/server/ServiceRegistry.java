package dev.asyncrpc.internal.server;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import dev.asyncrpc.RemoteService;
import dev.asyncrpc.internal.codec.Codecs;
import dev.asyncrpc.internal.contract.OperationModel;
import dev.asyncrpc.internal.contract.ServiceModel;

/** The operations a server serves, by wire name ({@code service/operation}). Immutable once built. */
public final class ServiceRegistry {

    private final Map<String, ServerMethod> methods;
    private final List<ServiceModel> services;

    private ServiceRegistry(Map<String, ServerMethod> methods, List<ServiceModel> services) {
        this.methods = methods;
        this.services = services;
    }

    /** Every served operation. */
    java.util.Collection<ServerMethod> methods() {
        return this.methods.values();
    }

    ServerMethod find(String fullName) {
        return this.methods.get(fullName);
    }

    public List<ServiceModel> services() {
        return this.services;
    }

    /** What each served operation is, in registration order. */
    public List<dev.asyncrpc.CallObserver.CallInfo> operations() {
        return this.methods.values().stream().map((m) -> m.info).toList();
    }

    /**
     * The directions of each served operation's pipe parameters, in wire order, by wire name
     * ({@code service/operation}); an operation without pipes maps to an empty list.
     */
    public Map<String, List<dev.asyncrpc.PipeInfo.Direction>> pipeDirections() {
        Map<String, List<dev.asyncrpc.PipeInfo.Direction>> pipes = new LinkedHashMap<>();
        this.methods.forEach((name, m) -> pipes.put(name, java.util.Arrays.stream(m.model.pipes())
            .map((p) -> p.in() ? dev.asyncrpc.PipeInfo.Direction.IN : dev.asyncrpc.PipeInfo.Direction.OUT)
            .toList()));
        return Collections.unmodifiableMap(pipes);
    }

    /** A message for an unknown operation, naming what is served. */
    String unknown(String fullName) {
        int slash = fullName.indexOf('/');
        String service = (slash >= 0) ? fullName.substring(0, slash) : fullName;
        TreeSet<String> names = new TreeSet<>();
        for (ServiceModel s : this.services) {
            names.add(s.name());
        }
        if (names.contains(service)) {
            return "service '" + service + "' has no operation '" + fullName.substring(slash + 1) + "'";
        }
        return "no service '" + service + "' on this server (serving: " + String.join(", ", names) + ")";
    }

    /**
     * Build a registry from implementation objects: each serves every {@code @RemoteService}
     * interface it implements.
     * @throws IllegalArgumentException if an object implements none, an interface is invalid for an
     *         implementer, or two objects serve the same operation
     */
    public static ServiceRegistry of(List<Object> implementations, Codecs codecs) {
        Map<String, ServerMethod> methods = new LinkedHashMap<>();
        List<ServiceModel> services = new ArrayList<>();
        for (Object impl : implementations) {
            List<Class<?>> contracts = contracts(impl.getClass());
            if (contracts.isEmpty()) {
                throw new IllegalArgumentException(impl.getClass().getName()
                        + " implements no interface annotated @RemoteService: implement the service's contract interface");
            }
            for (Class<?> contract : contracts) {
                ServiceModel model = ServiceModel.of(contract, ServiceModel.Side.IMPLEMENTER);
                services.add(model);
                for (OperationModel op : model.operations().values()) {
                    ServerMethod previous = methods.put(op.fullName(), new ServerMethod(op, impl, codecs));
                    if (previous != null) {
                        throw new IllegalArgumentException("operation '" + op.fullName() + "' is served twice: by "
                                + previous.target.getClass().getName() + " (" + previous.model.signature() + ") and by "
                                + impl.getClass().getName() + " (" + op.signature() + ")");
                    }
                }
            }
        }
        return new ServiceRegistry(Collections.unmodifiableMap(methods), List.copyOf(services));
    }

    private static List<Class<?>> contracts(Class<?> type) {
        List<Class<?>> found = new ArrayList<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            collect(c, found);
        }
        return found;
    }

    private static void collect(Class<?> type, List<Class<?>> found) {
        for (Class<?> i : type.getInterfaces()) {
            if (i.isAnnotationPresent(RemoteService.class)) {
                if (!found.contains(i)) {
                    found.add(i);
                }
            }
            else {
                collect(i, found);
            }
        }
    }
}
