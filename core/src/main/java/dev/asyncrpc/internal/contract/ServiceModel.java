package dev.asyncrpc.internal.contract;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;

import dev.asyncrpc.AsyncCall;
import dev.asyncrpc.AsyncRemote;
import dev.asyncrpc.AsyncReply;
import dev.asyncrpc.InPipe;
import dev.asyncrpc.OutPipe;
import dev.asyncrpc.Ordering;
import dev.asyncrpc.RemoteService;
import dev.asyncrpc.ServerCall;

/**
 * A {@code @RemoteService} interface checked and described for one side. Checks, each failing with
 * an {@link IllegalArgumentException} that names the method and the fix: the annotation and its
 * name; overloaded operation names; async return types without {@code @AsyncRemote};
 * {@code @AsyncRemote} with a blocking return type; raw (untyped) futures; pipe parameters without
 * a concrete element type; parameter types that cannot travel as values (a {@code Mono}, a future,
 * a call handle, a stream or iterator, an I/O stream).
 *
 * <p>Parameters fall in three groups: wire arguments (in the CALL frame), the implementer's
 * {@code AsyncReply}, and pipes ({@code InPipe}/{@code OutPipe}, or an in-pipe declared as a
 * publisher: {@code Flux<T>}, Reactive Streams' {@code Publisher<T>} or {@code Flow.Publisher<T>},
 * see {@link PipeParameter} and {@link PipeBinding}). A {@code Flux<T>} return is an out-pipe of
 * {@code T} on both sides.
 */
public final class ServiceModel {

    /** Which side uses the interface. */
    public enum Side {
        /** A caller's view: proxies are made for it. */
        CALLER,
        /** An implementer's view: an object implementing it is served. */
        IMPLEMENTER
    }

    private static final String MONO = "reactor.core.publisher.Mono";
    private static final String FLUX = "reactor.core.publisher.Flux";

    private final Class<?> type;
    private final String name;
    private final Map<Method, OperationModel> operations;

    private ServiceModel(Class<?> type, String name, Map<Method, OperationModel> operations) {
        this.type = type;
        this.name = name;
        this.operations = operations;
    }

    public Class<?> type() {
        return this.type;
    }

    public String name() {
        return this.name;
    }

    /** Operations by Java method, in declaration order of their names. */
    public Map<Method, OperationModel> operations() {
        return this.operations;
    }

    /**
     * Check and describe {@code type} for {@code side}.
     * @throws IllegalArgumentException with a message naming the problem and the fix
     */
    public static ServiceModel of(Class<?> type, Side side) {
        if (!type.isInterface()) {
            throw new IllegalArgumentException(type.getName() + " is not an interface: a remote service contract is an interface annotated @RemoteService");
        }
        RemoteService rs = type.getAnnotation(RemoteService.class);
        if (rs == null) {
            throw new IllegalArgumentException(type.getName() + " is not annotated @RemoteService: add @RemoteService(\"<service name>\")");
        }
        String name = rs.value();
        if (name.isBlank() || name.indexOf('/') >= 0) {
            throw new IllegalArgumentException("@RemoteService(\"" + name + "\") on " + type.getName() + ": the service name must be non-empty and contain no '/'");
        }
        List<Method> methods = new ArrayList<>();
        for (Method m : type.getMethods()) {
            if (!m.isDefault() && !Modifier.isStatic(m.getModifiers()) && m.getDeclaringClass() != Object.class) {
                methods.add(m);
            }
        }
        methods.sort(Comparator.comparing(Method::getName).thenComparing(Method::toGenericString));
        Map<String, List<Method>> byName = methods.stream().collect(Collectors.groupingBy(Method::getName, LinkedHashMap::new, Collectors.toList()));
        List<String> overloaded = new ArrayList<>();
        byName.forEach((n, ms) -> {
            if (ms.size() > 1) {
                overloaded.add(ms.stream().map(ServiceModel::signature).collect(Collectors.joining(", ")));
            }
        });
        if (!overloaded.isEmpty()) {
            throw new IllegalArgumentException("Remote service '" + name + "' (" + type.getName() + ") overloads operation names: "
                    + String.join("; ", overloaded) + ". Operations are identified by name on the wire: give each overload its own name.");
        }
        Map<Method, OperationModel> ops = new LinkedHashMap<>();
        for (Method m : methods) {
            ops.put(m, operation(name, m, side));
        }
        return new ServiceModel(type, name, Collections.unmodifiableMap(ops));
    }

    private static OperationModel operation(String service, Method m, Side side) {
        AsyncRemote async = m.getAnnotation(AsyncRemote.class);
        Class<?> raw = m.getReturnType();
        Type generic = m.getGenericReturnType();
        Type[] params = m.getGenericParameterTypes();
        Class<?>[] rawParams = m.getParameterTypes();

        int replyIndex = -1;
        int serverCallIndex = -1;
        List<Integer> wire = new ArrayList<>();
        List<PipeParameter> pipes = new ArrayList<>();
        for (int i = 0; i < rawParams.length; i++) {
            if (rawParams[i] == InPipe.class || rawParams[i] == OutPipe.class) {
                boolean in = rawParams[i] == InPipe.class;
                pipes.add(new PipeParameter(i, pipes.size(), in, pipeElementType(m, params[i], in ? "InPipe" : "OutPipe")));
            }
            else if (PipeBinding.ofPublisher(rawParams[i]) != null) {
                PipeBinding binding = PipeBinding.ofPublisher(rawParams[i]);
                pipes.add(new PipeParameter(i, pipes.size(), true, pipeElementType(m, params[i], binding.simpleName()), binding));
            }
            else if (rawParams[i] == ServerCall.class) {
                if (side == Side.CALLER) {
                    throw new IllegalArgumentException(signature(m) + " takes a ServerCall: that parameter belongs to an implementer's interface, not a caller's");
                }
                if (serverCallIndex >= 0) {
                    throw new IllegalArgumentException(signature(m) + " takes more than one ServerCall: take exactly one");
                }
                serverCallIndex = i;
            }
            else if (rawParams[i] == AsyncReply.class) {
                if (side == Side.CALLER) {
                    throw new IllegalArgumentException(signature(m) + " takes an AsyncReply: that parameter belongs to an implementer's interface, not a caller's");
                }
                if (replyIndex >= 0) {
                    throw new IllegalArgumentException(signature(m) + " takes more than one AsyncReply: take exactly one");
                }
                replyIndex = i;
            }
            else {
                refuseUntravelable(m, i, rawParams[i]);
                wire.add(i);
            }
        }

        ReturnKind kind = returnKind(raw);
        if (replyIndex >= 0) {
            if (raw != void.class) {
                throw new IllegalArgumentException(signature(m) + " takes an AsyncReply and returns " + raw.getSimpleName() + ": a method that completes an AsyncReply must return void");
            }
            kind = ReturnKind.REPLY_HANDLE;
        }
        if (kind.isAsync() && async == null) {
            throw new IllegalArgumentException(signature(m) + (kind == ReturnKind.REPLY_HANDLE ? " takes an AsyncReply" : " returns " + raw.getSimpleName())
                    + " but is not annotated @AsyncRemote: add @AsyncRemote, or make it a plain method that returns the value");
        }
        if (async != null && !kind.isAsync()) {
            String value = (raw == void.class) ? "Void" : boxed(raw).getSimpleName();
            String fix = (side == Side.CALLER)
                    ? "return AsyncCall<" + value + ">, CompletableFuture<" + value + "> or CompletionStage<" + value + ">"
                    : "return CompletableFuture<" + value + "> or CompletionStage<" + value + ">, or return void and take an AsyncReply<" + value + ">";
            throw new IllegalArgumentException(signature(m) + " is annotated @AsyncRemote but returns " + raw.getSimpleName() + ", which blocks: " + fix + ", or remove @AsyncRemote");
        }
        if (side == Side.IMPLEMENTER && kind == ReturnKind.ASYNC_CALL) {
            throw new IllegalArgumentException(signature(m) + " returns AsyncCall, which is the caller's handle: an implementation returns CompletableFuture or CompletionStage, or takes an AsyncReply");
        }
        if (side == Side.IMPLEMENTER && kind == ReturnKind.MONO) {
            throw new IllegalArgumentException(signature(m) + " returns Mono: implementations return CompletableFuture or CompletionStage, or take an AsyncReply");
        }

        Type valueType;
        switch (kind) {
            case VALUE -> valueType = (raw == void.class) ? Void.class : generic;
            case REPLY_HANDLE -> valueType = typeArgument(m, params[replyIndex], "AsyncReply");
            case FLUX -> {
                valueType = Void.class;
                pipes.add(new PipeParameter(-1, pipes.size(), false, fluxElementType(m, generic)));
            }
            default -> valueType = typeArgument(m, generic, raw.getSimpleName());
        }
        if (pipes.size() > 255) {
            throw new IllegalArgumentException(signature(m) + " has " + pipes.size() + " pipes: at most 255 are addressable on the wire");
        }

        int[] wireIdx = wire.stream().mapToInt(Integer::intValue).toArray();
        Type[] wireTypes = Arrays.stream(wireIdx).mapToObj(i -> params[i]).toArray(Type[]::new);
        if (wireIdx.length > 255) {
            throw new IllegalArgumentException(signature(m) + " has " + wireIdx.length + " parameters: at most 255 travel on the wire");
        }
        Ordering ordering = (async != null) ? async.ordering() : Ordering.DEFAULT;
        Duration timeout = (async != null) ? DurationText.parse(async.timeout(), "@AsyncRemote(timeout) on " + signature(m)) : null;
        return new OperationModel(m, service, m.getName(), wireIdx, wireTypes, replyIndex, serverCallIndex, kind, valueType, ordering, timeout,
                pipes.toArray(new PipeParameter[0]));
    }

    /**
     * Refuse a value parameter whose type cannot travel as a value: it would be encoded as an
     * object of its class (or fail to encode) and the implementer could not rebuild it.
     */
    private static void refuseUntravelable(Method m, int index, Class<?> raw) {
        String what = null;
        String fix = "pass the value itself";
        if (raw.getName().equals(MONO)) {
            what = "a Mono";
            fix = "pass the value itself, or a Flux<T> (an in-pipe) for a stream";
        }
        else if (java.util.concurrent.Future.class.isAssignableFrom(raw) || CompletionStage.class.isAssignableFrom(raw)
                || raw == AsyncCall.class) {
            what = "a future or call handle";
            fix = "pass the value itself, once it is known";
        }
        else if (java.util.concurrent.Flow.Publisher.class.isAssignableFrom(raw) || isReactiveStreamsPublisher(raw)) {
            what = "a publisher of type " + raw.getSimpleName();
            fix = "declare the parameter as Flux<T>, Publisher<T> or Flow.Publisher<T> (an in-pipe), or InPipe<T>";
        }
        else if (java.util.stream.BaseStream.class.isAssignableFrom(raw) || java.util.Iterator.class.isAssignableFrom(raw)) {
            what = "a stream or iterator";
            fix = "pass a List, or declare an in-pipe (InPipe<T> or Flux<T>) to stream elements";
        }
        else if (java.io.InputStream.class.isAssignableFrom(raw) || java.io.OutputStream.class.isAssignableFrom(raw)
                || java.io.Reader.class.isAssignableFrom(raw) || java.io.Writer.class.isAssignableFrom(raw)) {
            what = "an I/O stream";
            fix = "pass byte[] or String, or stream chunks through InPipe<byte[]>";
        }
        if (what != null) {
            throw new IllegalArgumentException(signature(m) + " takes " + what + " as parameter " + (index + 1)
                    + ", which cannot travel as a value: " + fix);
        }
    }

    private static boolean isReactiveStreamsPublisher(Class<?> raw) {
        for (Class<?> c = raw; c != null; c = c.getSuperclass()) {
            for (Class<?> i : c.getInterfaces()) {
                if (i.getName().equals("org.reactivestreams.Publisher") || isReactiveStreamsPublisher(i)) {
                    return true;
                }
            }
        }
        return raw.getName().equals("org.reactivestreams.Publisher");
    }

    /** The element type of a pipe parameter: concrete, and not itself a pipe or handle. */
    private static Type pipeElementType(Method m, Type type, String what) {
        if (!(type instanceof ParameterizedType pt)) {
            throw new IllegalArgumentException(signature(m) + " uses a raw " + what + ": declare the element type, for example "
                    + what + "<String> or " + what + "<byte[]>");
        }
        return checkElementType(m, pt.getActualTypeArguments()[0], what);
    }

    private static Type fluxElementType(Method m, Type generic) {
        if (!(generic instanceof ParameterizedType pt)) {
            throw new IllegalArgumentException(signature(m) + " returns a raw Flux: declare the element type, for example Flux<String>");
        }
        return checkElementType(m, pt.getActualTypeArguments()[0], "Flux");
    }

    private static Type checkElementType(Method m, Type element, String what) {
        if (element instanceof WildcardType || element instanceof TypeVariable<?>) {
            throw new IllegalArgumentException(signature(m) + " declares " + what + "<" + element.getTypeName()
                    + ">: the element type must be concrete (the receiver decodes exactly that type), for example " + what + "<String>");
        }
        Class<?> raw = (element instanceof ParameterizedType ept) ? (Class<?>) ept.getRawType() : (element instanceof Class<?> c ? c : null);
        if (raw == InPipe.class || raw == OutPipe.class || raw == AsyncReply.class || raw == AsyncCall.class || raw == ServerCall.class
                || (raw != null && java.util.concurrent.Flow.Publisher.class.isAssignableFrom(raw))) {
            throw new IllegalArgumentException(signature(m) + " declares " + what + "<" + element.getTypeName()
                    + ">: pipe elements are values; a pipe, handle or publisher cannot travel inside a pipe");
        }
        return element;
    }

    private static ReturnKind returnKind(Class<?> raw) {
        if (raw == AsyncCall.class) {
            return ReturnKind.ASYNC_CALL;
        }
        if (raw == CompletableFuture.class) {
            return ReturnKind.COMPLETABLE_FUTURE;
        }
        if (raw == CompletionStage.class) {
            return ReturnKind.COMPLETION_STAGE;
        }
        if (raw.getName().equals(MONO)) {
            return ReturnKind.MONO;
        }
        if (raw.getName().equals(FLUX)) {
            return ReturnKind.FLUX;
        }
        return ReturnKind.VALUE;
    }

    private static Type typeArgument(Method m, Type type, String what) {
        if (type instanceof ParameterizedType pt) {
            return pt.getActualTypeArguments()[0];
        }
        throw new IllegalArgumentException(signature(m) + " uses a raw " + what + ": declare the value type, for example " + what + "<String>");
    }

    private static Class<?> boxed(Class<?> c) {
        if (!c.isPrimitive()) {
            return c;
        }
        return switch (c.getName()) {
            case "int" -> Integer.class;
            case "long" -> Long.class;
            case "boolean" -> Boolean.class;
            case "double" -> Double.class;
            case "float" -> Float.class;
            case "short" -> Short.class;
            case "byte" -> Byte.class;
            case "char" -> Character.class;
            default -> Void.class;
        };
    }

    /** {@code Type.method(ParamType, ...)} for messages. */
    public static String signature(Method m) {
        return m.getDeclaringClass().getSimpleName() + "." + m.getName() + "("
                + Arrays.stream(m.getParameterTypes()).map(Class::getSimpleName).collect(Collectors.joining(", ")) + ")";
    }
}
