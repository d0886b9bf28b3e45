package dev.asyncrpc.internal.server;

import java.lang.reflect.Method;

import dev.asyncrpc.internal.codec.Codecs;
import dev.asyncrpc.internal.codec.ValueCodec;
import dev.asyncrpc.internal.contract.OperationModel;
import dev.asyncrpc.internal.pipe.PipePlan;

/** One served operation: the model, the target object, and the codecs for its arguments and value. */
final class ServerMethod {

    final OperationModel model;
    final Object target;
    final Method method;
    final Invoker invoker;
    final ValueCodec[] argCodecs;
    final ValueCodec valueCodec;
    final int parameterCount;
    /** The operation's pipes, or {@code null} if it has none. */
    final PipePlan pipes;
    final dev.asyncrpc.CallObserver.CallInfo info;
    /** {@code service/operation}, made once (messages, the reply limit). */
    final String fullName;
    /** Whether and when its calls may run on the event loop ({@link InlineGate}); {@code null}: never. Set before the server starts. */
    /** The payload size of the last reply, where the next one's encoding starts (racy: a hint only). */
    int replySizeHint = 64;

    InlineGate inline;
    /** Whether and when its in-pipes' {@code onAvailable} callbacks may run on the event loop; {@code null}: never. Set before the server starts. */
    InlineGate pipeCallbacks;

    /** The interceptors its calls pass, resolved once when the server's interceptors are set (none until then). */
    dev.asyncrpc.ServerInterceptor[] interceptors = new dev.asyncrpc.ServerInterceptor[0];

    ServerMethod(OperationModel model, Object target, Codecs codecs) {
        this.model = model;
        this.fullName = model.fullName();
        this.target = target;
        this.method = model.method();
        this.method.setAccessible(true);
        this.invoker = Invoker.of(this.method);
        this.argCodecs = new ValueCodec[model.wireParameterTypes().length];
        for (int i = 0; i < this.argCodecs.length; i++) {
            this.argCodecs[i] = codecs.forType(model.wireParameterTypes()[i]);
        }
        this.valueCodec = model.isVoid() ? null : codecs.forType(model.valueType());
        this.parameterCount = this.method.getParameterCount();
        this.pipes = PipePlan.of(model, codecs);
        this.info = new dev.asyncrpc.CallObserver.CallInfo(dev.asyncrpc.CallObserver.CallInfo.Side.SERVER, model.service(), model.name(),
                model.returnKind().isAsync());
    }

    /** Whether the implementation is asynchronous (expected not to block the thread it is called on). */
    boolean isAsync() {
        return this.model.returnKind().isAsync();
    }
}
