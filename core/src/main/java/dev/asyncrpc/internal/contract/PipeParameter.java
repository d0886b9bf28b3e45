package dev.asyncrpc.internal.contract;

import java.lang.reflect.Type;

/**
 * One pipe parameter of an operation as one side declares it. Pipes do not travel in the CALL
 * arguments; their data flows in PIPE_DATA frames addressed by {@link #pipeIndex()}.
 *
 * @param parameterIndex the position among the Java method's parameters, or -1 for the implicit
 *        out-pipe of a {@code Flux<T>} return
 * @param pipeIndex the position among the operation's pipe parameters (the wire index)
 * @param in {@code true} for an {@code InPipe} (caller to implementer), {@code false} for an
 *        {@code OutPipe} (implementer to caller)
 * @param elementType the declared element type
 * @param binding the Java type the side declares for the pipe
 */
public record PipeParameter(int parameterIndex, int pipeIndex, boolean in, Type elementType, PipeBinding binding) {

    /** A pipe declared as {@code InPipe<T>}/{@code OutPipe<T>}, or the implicit out-pipe of a {@code Flux} return. */
    public PipeParameter(int parameterIndex, int pipeIndex, boolean in, Type elementType) {
        this(parameterIndex, pipeIndex, in, elementType, PipeBinding.PIPE);
    }

    /** Whether this is the implicit out-pipe of a {@code Flux<T>} return. */
    public boolean isImplicit() {
        return this.parameterIndex < 0;
    }
}
