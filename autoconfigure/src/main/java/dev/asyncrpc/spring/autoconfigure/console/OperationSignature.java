package dev.asyncrpc.spring.autoconfigure.console;

import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

import dev.asyncrpc.AsyncCall;
import dev.asyncrpc.AsyncRemote;
import dev.asyncrpc.AsyncReply;
import dev.asyncrpc.InPipe;
import dev.asyncrpc.Ordering;
import dev.asyncrpc.OutPipe;
import dev.asyncrpc.ServerCall;

/**
 * One operation's signature as a caller sees it, read from a method of a {@code @RemoteService}
 * interface: the parameters that travel (values and pipes, in declaration order), the result type
 * and the caller-side options of {@link AsyncRemote}. Works on a caller's view and on an
 * implementer's view (whose {@link AsyncReply} and {@link ServerCall} parameters do not travel).
 *
 * @param method the method read
 * @param parameters the parameters that travel, in order
 * @param resultType the type of the call's value ({@code void} for none)
 * @param resultStream whether the result is a stream ({@code Flux}) rather than one value
 * @param callerView whether {@link #method} can be called through a client proxy
 */
record OperationSignature(Method method, List<Param> parameters, Type resultType, boolean resultStream, boolean callerView) {

    /**
     * A parameter that travels.
     *
     * @param index its position among the method's parameters
     * @param name its name ({@code argN} when the class was compiled without {@code -parameters})
     * @param type the value type, or the element type of a pipe
     * @param pipe {@code "in"} or {@code "out"} for a pipe, {@code null} for a value
     */
    record Param(int index, String name, Type type, String pipe) {
    }

    static OperationSignature of(Method method) {
        List<Param> params = new ArrayList<>();
        boolean callerView = true;
        Type result = method.getGenericReturnType();
        Parameter[] declared = method.getParameters();
        for (int i = 0; i < declared.length; i++) {
            Class<?> raw = declared[i].getType();
            Type generic = declared[i].getParameterizedType();
            if (raw == ServerCall.class) {
                callerView = false;
            }
            else if (raw == AsyncReply.class) {
                callerView = false;
                result = typeArgument(generic);
            }
            else if (raw == InPipe.class) {
                params.add(new Param(i, declared[i].getName(), typeArgument(generic), "in"));
            }
            else if (raw == OutPipe.class) {
                params.add(new Param(i, declared[i].getName(), typeArgument(generic), "out"));
            }
            else {
                params.add(new Param(i, declared[i].getName(), generic, null));
            }
        }
        boolean stream = false;
        Class<?> rawResult = raw(result);
        if (rawResult == AsyncCall.class || CompletionStage.class.isAssignableFrom(rawResult) || isReactor(rawResult, "Mono")) {
            result = typeArgument(result);
        }
        else if (isReactor(rawResult, "Flux")) {
            result = typeArgument(result);
            stream = true;
        }
        return new OperationSignature(method, List.copyOf(params), result, stream, callerView);
    }

    /** The same signature, marked as not callable through a client proxy. */
    OperationSignature notCallable() {
        return new OperationSignature(this.method, this.parameters, this.resultType, this.resultStream, false);
    }

    /** Whether a client call of this method returns at once (an {@code @AsyncRemote} caller view). */
    boolean async() {
        return this.method.isAnnotationPresent(AsyncRemote.class);
    }

    /** The ordering the caller's view asks for. */
    Ordering ordering() {
        AsyncRemote remote = this.method.getAnnotation(AsyncRemote.class);
        return (remote != null) ? remote.ordering() : Ordering.DEFAULT;
    }

    /** The timeout the caller's view declares, or an empty string for the client's default. */
    String timeout() {
        AsyncRemote remote = this.method.getAnnotation(AsyncRemote.class);
        return (remote != null) ? remote.timeout() : "";
    }

    private static boolean isReactor(Class<?> type, String simpleName) {
        return type.getName().equals("reactor.core.publisher." + simpleName);
    }

    private static Class<?> raw(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        return Object.class;
    }

    private static Type typeArgument(Type type) {
        return (type instanceof ParameterizedType p) ? p.getActualTypeArguments()[0] : Object.class;
    }
}
