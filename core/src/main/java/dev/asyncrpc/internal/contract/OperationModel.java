package dev.asyncrpc.internal.contract;

import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import dev.asyncrpc.Ordering;

/**
 * One operation of a remote service as one side declares it.
 *
 * @param method the Java method
 * @param service the service name
 * @param name the operation name (the method name)
 * @param wireParameterIndexes indexes of the method parameters that travel on the wire, in order
 * @param wireParameterTypes their declared (generic) types
 * @param replyParameterIndex index of an {@code AsyncReply} parameter, or -1
 * @param serverCallParameterIndex index of a {@code ServerCall} parameter, or -1
 * @param returnKind how the value is handed back
 * @param valueType the operation's value type ({@code Void} for void operations)
 * @param ordering the declared ordering
 * @param timeout the declared timeout, or {@code null}
 * @param pipes the pipe parameters in wire order (empty when the operation has none)
 */
public record OperationModel(Method method, String service, String name, int[] wireParameterIndexes,
        Type[] wireParameterTypes, int replyParameterIndex, int serverCallParameterIndex, ReturnKind returnKind, Type valueType,
        Ordering ordering, Duration timeout, PipeParameter[] pipes) {

    private static final PipeParameter[] NO_PIPES = new PipeParameter[0];

    /** An operation without pipes. */
    public OperationModel(Method method, String service, String name, int[] wireParameterIndexes,
            Type[] wireParameterTypes, int replyParameterIndex, int serverCallParameterIndex, ReturnKind returnKind, Type valueType,
            Ordering ordering, Duration timeout) {
        this(method, service, name, wireParameterIndexes, wireParameterTypes, replyParameterIndex, serverCallParameterIndex, returnKind,
                valueType, ordering, timeout, NO_PIPES);
    }

    /** Whether the operation has pipe parameters (or a caller's {@code Flux} return). */
    public boolean hasPipes() {
        return this.pipes.length > 0;
    }

    /** The wire identity of the operation, {@code service/name}. */
    public String fullName() {
        return this.service + "/" + this.name;
    }

    public byte[] fullNameUtf8() {
        return fullName().getBytes(StandardCharsets.UTF_8);
    }

    public boolean isVoid() {
        return this.valueType == Void.class || this.valueType == void.class;
    }

    /** A readable signature for messages: {@code Inventory.level(String)}. */
    public String signature() {
        return ServiceModel.signature(this.method);
    }
}
