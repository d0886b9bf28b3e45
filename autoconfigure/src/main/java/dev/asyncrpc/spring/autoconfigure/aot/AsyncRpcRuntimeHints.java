package dev.asyncrpc.spring.autoconfigure.aot;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import java.util.LinkedHashSet;
import java.util.Set;

import dev.asyncrpc.AsyncCall;
import dev.asyncrpc.AsyncReply;
import dev.asyncrpc.InPipe;
import dev.asyncrpc.OutPipe;
import dev.asyncrpc.RemoteService;
import dev.asyncrpc.ServerCall;

import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.core.ResolvableType;
import org.springframework.util.ClassUtils;

/**
 * The hints a native image needs for asyncrpc: a JDK proxy and method reflection for each imported
 * client interface, method invocation on each endpoint and its {@code @RemoteService} interfaces,
 * and Jackson binding reflection (records included) for the types arguments, results and pipe
 * elements are encoded as. Plain methods on {@link RuntimeHints}, so that they can be tested with
 * {@code RuntimeHintsPredicates}.
 */
public final class AsyncRpcRuntimeHints {

    private static final Set<String> WRAPPERS = Set.of("java.util.concurrent.CompletableFuture", "java.util.concurrent.CompletionStage",
            AsyncCall.class.getName(), AsyncReply.class.getName(), InPipe.class.getName(), OutPipe.class.getName(),
            "reactor.core.publisher.Mono", "reactor.core.publisher.Flux");

    private final BindingReflectionHintsRegistrar bindings = new BindingReflectionHintsRegistrar();

    /**
     * Hints for a client of {@code type}: a JDK proxy implementing it, its methods, and its value types.
     * @param type a {@code @RemoteService} interface
     * @param hints where the hints go
     */
    public void registerClient(Class<?> type, RuntimeHints hints) {
        hints.proxies().registerJdkProxy(type);
        registerContract(type, hints);
    }

    /**
     * Hints for an endpoint class: invocation of its methods and those of every
     * {@code @RemoteService} interface it implements, and their value types.
     * @param type the endpoint's class
     * @param hints where the hints go
     */
    public void registerEndpoint(Class<?> type, RuntimeHints hints) {
        hints.reflection().registerType(type, MemberCategory.INVOKE_PUBLIC_METHODS, MemberCategory.INVOKE_DECLARED_METHODS);
        for (Class<?> contract : ClassUtils.getAllInterfacesForClassAsSet(type)) {
            if (contract.isAnnotationPresent(RemoteService.class)) {
                registerContract(contract, hints);
            }
        }
    }

    /**
     * Hints for methods invoked by reflection (exception handlers).
     * @param method the method
     * @param hints where the hints go
     */
    public void registerInvoked(Method method, RuntimeHints hints) {
        hints.reflection().registerMethod(method, org.springframework.aot.hint.ExecutableMode.INVOKE);
    }

    private void registerContract(Class<?> contract, RuntimeHints hints) {
        hints.reflection().registerType(contract, MemberCategory.INVOKE_PUBLIC_METHODS);
        for (Class<?> value : valueTypes(contract)) {
            this.bindings.registerReflectionHints(hints.reflection(), value);
        }
    }

    /**
     * The types Jackson encodes for the operations of {@code contract}: parameters and results with
     * handles, futures and pipes unwrapped to their element types; runtime parameters and types the
     * codec handles itself (primitives, strings, bytes) left out.
     * @param contract a {@code @RemoteService} interface
     * @return the types, in declaration order
     */
    public static Set<Class<?>> valueTypes(Class<?> contract) {
        Set<Class<?>> types = new LinkedHashSet<>();
        for (Method method : contract.getMethods()) {
            if (Modifier.isStatic(method.getModifiers()) || method.isDefault()) {
                continue;
            }
            for (int i = 0; i < method.getParameterCount(); i++) {
                collect(ResolvableType.forMethodParameter(method, i), types);
            }
            collect(ResolvableType.forMethodReturnType(method), types);
        }
        return types;
    }

    private static void collect(ResolvableType type, Set<Class<?>> types) {
        Class<?> raw = type.resolve();
        if (raw == null || raw == void.class || raw == Void.class || raw.isPrimitive() || raw == String.class || raw == byte[].class
                || ByteBuffer.class.isAssignableFrom(raw) || ServerCall.class.isAssignableFrom(raw)) {
            return;
        }
        if (WRAPPERS.contains(raw.getName())) {
            collect(type.getGeneric(0), types);
            return;
        }
        types.add(raw);
        for (ResolvableType generic : type.getGenerics()) {
            collect(generic, types);
        }
        if (raw.isArray()) {
            collect(type.getComponentType(), types);
        }
    }
}
