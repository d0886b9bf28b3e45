package dev.asyncrpc.internal.pipe;

import java.util.concurrent.Executor;

import dev.asyncrpc.internal.codec.Codecs;
import dev.asyncrpc.internal.codec.ValueCodec;
import dev.asyncrpc.internal.contract.OperationModel;
import dev.asyncrpc.InPipe;
import dev.asyncrpc.internal.contract.PipeBinding;
import dev.asyncrpc.internal.contract.PipeParameter;

/**
 * The pipes of one operation as one side declares them, with their element codecs: binds a
 * caller's pipe arguments to a call, or makes an implementer's ends. Immutable, thread-safe.
 */
public final class PipePlan {

    private final OperationModel model;
    private final PipeParameter[] params;
    private final ValueCodec[] codecs;

    private PipePlan(OperationModel model, Codecs codecs) {
        this.model = model;
        this.params = model.pipes();
        this.codecs = new ValueCodec[this.params.length];
        for (int i = 0; i < this.params.length; i++) {
            this.codecs[i] = codecs.forType(this.params[i].elementType());
        }
    }

    /**
     * The plan for an operation.
     * @return the plan, or {@code null} if the operation has no pipes
     */
    public static PipePlan of(OperationModel model, Codecs codecs) {
        return model.hasPipes() ? new PipePlan(model, codecs) : null;
    }

    /**
     * Check the caller's pipe arguments and bind them to a new call; makes the implicit out-pipe
     * of a {@code Flux} return. Call before the call is sent.
     * @param cancelCall cancels the call abortively: what cancelling a subscription to an out-pipe does
     * @throws IllegalArgumentException for a {@code null} or foreign pipe argument
     * @throws IllegalStateException for a pipe that was passed to a call before, or that is an
     *         implementer's end
     */
    public CallPipes bindCaller(Object[] args, Executor executor, PipeRegistry registry, Runnable cancelCall) {
        PipeEnd<?>[] ends = new PipeEnd<?>[this.params.length];
        for (int i = 0; i < this.params.length; i++) {
            PipeParameter p = this.params[i];
            if (p.isImplicit()) {
                ends[i] = new DefaultOutPipe<>();
                continue;
            }
            Object arg = args[p.parameterIndex()];
            String what = (p.in() ? "InPipe" : "OutPipe");
            String argument = "argument " + (p.parameterIndex() + 1) + " of " + this.model.signature();
            if (p.binding() != PipeBinding.PIPE) {
                // an in-pipe declared as a publisher: a new pipe fed from it, demand mapped to credit
                if (arg == null) {
                    throw new IllegalArgumentException(argument + " is null: pass a " + p.binding().simpleName()
                            + " (an empty one for no elements)");
                }
                arg = InPipe.from(PublisherAdapters.toFlow(arg, p.binding()));
            }
            if (arg == null) {
                throw new IllegalArgumentException(argument + " is null: pass a new pipe, " + what + ".create()"
                        + (p.in() ? " or InPipe.from(publisher)" : ""));
            }
            if (!(arg instanceof PipeEnd<?> end) || end.isIn() != p.in()) {
                throw new IllegalArgumentException(argument + " is a " + arg.getClass().getName() + ": pass a pipe made by " + what + ".create()");
            }
            if (!end.isCallersEnd()) {
                throw new IllegalStateException(argument + " is " + end.describe() + ": an implementer's end cannot be passed on; "
                        + (p.in() ? "forward it with InPipe.from(received)" : "pass a new OutPipe.create()"));
            }
            for (int j = 0; j < i; j++) {
                if (ends[j] == end) {
                    throw new IllegalStateException(argument + " is the same pipe as another argument: make a new pipe for each");
                }
            }
            ends[i] = end;
        }
        CallPipes pipes = new CallPipes(this.model.fullName(), ends, this.params);
        for (int i = 0; i < ends.length; i++) {
            bind(ends[i], i, executor, executor, registry, pipes, cancelCall);
        }
        return pipes;
    }

    /**
     * New implementer's ends for one call: receiving in-pipes, sending out-pipes. Event loop.
     * @param executor where the call's pipe callbacks, subscriber signals and send completions run
     * @param availability where its in-pipes' {@code onAvailable} callbacks registered without an
     *        executor run (it may run them on the event loop)
     */
    public CallPipes newImplementer(Executor executor, Executor availability, PipeRegistry registry) {
        PipeEnd<?>[] ends = new PipeEnd<?>[this.params.length];
        for (int i = 0; i < this.params.length; i++) {
            ends[i] = this.params[i].in() ? new DefaultInPipe<>() : new DefaultOutPipe<>(true);
        }
        CallPipes pipes = new CallPipes(this.model.fullName(), ends, this.params);
        for (int i = 0; i < ends.length; i++) {
            bind(ends[i], i, executor, availability, registry, pipes, null);
        }
        return pipes;
    }

    private void bind(PipeEnd<?> end, int index, Executor executor, Executor availability, PipeRegistry registry, CallPipes owner,
            Runnable cancelCall) {
        PipeIdentity id = new PipeIdentity(this.model.fullName(), index);
        java.lang.reflect.Type type = this.params[index].elementType();
        boolean raw = type == byte[].class || type == java.nio.ByteBuffer.class;
        if (end.sender() != null) {
            end.sender().bind(id, this.codecs[index], raw, executor, owner, registry);
        }
        else {
            end.receiver().bind(id, this.codecs[index], raw, executor, availability, cancelCall, registry);
        }
    }
}
