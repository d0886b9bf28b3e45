package dev.asyncrpc.internal.client;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import dev.asyncrpc.CancelMode;
import dev.asyncrpc.RemoteCallException;
import dev.asyncrpc.Status;
import dev.asyncrpc.internal.contract.OperationModel;
import dev.asyncrpc.internal.contract.ServiceModel;
import dev.asyncrpc.internal.pipe.CallPipes;
import io.netty.buffer.ByteBuf;

/**
 * Turns calls on a {@code @RemoteService} interface into CALL frames on a binding. Plain methods
 * block the caller until the outcome; {@code @AsyncRemote} methods return at once with a handle.
 */
public final class ClientProxy implements InvocationHandler {

    private final ServiceModel model;
    private final ClientBinding binding;
    private final ClientRuntime runtime;
    private final Map<Method, ClientMethod> methods = new HashMap<>();
    /**
     * The same, keyed by the {@link Method} instances the proxy class passes in (its own, which are
     * equal to the contract's but not the same), learnt at each one's first call: an identity lookup
     * saves {@code Method.equals} on every call. Copied on write.
     */
    private volatile Map<Method, ClientMethod> byIdentity = new java.util.IdentityHashMap<>();

    private ClientProxy(ServiceModel model, ClientBinding binding, ClientRuntime runtime, dev.asyncrpc.CallOptions options) {
        this.model = model;
        this.binding = binding;
        this.runtime = runtime;
        for (OperationModel op : model.operations().values()) {
            this.methods.put(op.method(), new ClientMethod(op, runtime.codecs, options, runtime.defaults));
        }
    }

    /**
     * Make a proxy for {@code type}.
     * @throws IllegalArgumentException if the interface is not a valid caller's contract
     */
    public static <T> T create(Class<T> type, ClientBinding binding, ClientRuntime runtime, dev.asyncrpc.CallOptions options) {
        ServiceModel model = ServiceModel.of(type, ServiceModel.Side.CALLER);
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] { type },
                new ClientProxy(model, binding, runtime, options)));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        ClientMethod m = this.byIdentity.get(method);
        if (m == null) {
            m = this.methods.get(method);
            if (m == null) {
                return invokeLocal(proxy, method, args);
            }
            Map<Method, ClientMethod> learnt = new java.util.IdentityHashMap<>(this.byIdentity);
            learnt.put(method, m);
            this.byIdentity = learnt;
        }
        Object[] values = (args != null) ? args : new Object[0];
        dev.asyncrpc.CallObserver observer = this.runtime.observer;
        dev.asyncrpc.ClientInterceptor[] chain = this.runtime.interceptors.forService(this.model.name());
        java.util.List<dev.asyncrpc.CallListener> listeners = null;
        RemoteCallException refused = null;
        ByteBuf request = null;
        Object observation = null;
        if (observer == dev.asyncrpc.CallObserver.NONE && chain.length == 0) {
            request = m.encodeCall(this.runtime.alloc, values);
        }
        else {
            Map<String, String> metadata = new java.util.LinkedHashMap<>(m.metadata());
            if (chain.length > 0) {
                listeners = new java.util.ArrayList<>(2);
                refused = ClientInterceptors.run(chain, new ClientInterceptors.InterceptedCall(this.model.name(), m.model.name(),
                        m.model.returnKind().isAsync(), this.binding.address(), this.runtime.isTls(), metadata), listeners);
            }
            try {
                observation = observer.onStart(m.info, metadata);
            }
            catch (RuntimeException ex) {
                System.getLogger(ClientProxy.class.getName()).log(System.Logger.Level.WARNING, "CallObserver.onStart failed", ex);
            }
            if (refused == null) {
                try {
                    request = m.encodeCall(this.runtime.alloc, values, metadata);
                }
                catch (RemoteCallException ex) {
                    observer.onEnd(m.info, observation, ex.status());
                    if (listeners != null) {
                        ClientInterceptors.completed(listeners, ex.status(), ex.description());
                    }
                    throw ex;
                }
            }
        }
        CallFuture<Object> call = new CallFuture<>(m, request, this.runtime, observation);
        call.listeners = listeners;
        // a blocking caller runs no user code when its call completes: wake it from the event loop
        call.completeOnLoop = m.model.returnKind() == dev.asyncrpc.internal.contract.ReturnKind.VALUE && listeners == null && m.pipes == null;
        if (m.pipes != null) {
            bindPipes(m, call, values);
        }
        if (refused != null) {
            call.failWith(refused); // never sent: accounted, observed, the pipes fail; a plain call throws below
        }
        else {
            try {
                this.binding.send(call);
            }
            catch (RemoteCallException ex) {
                call.failWith(ex); // accounted and observed; the issuing call still throws
                throw ex;
            }
        }
        return switch (m.model.returnKind()) {
            case ASYNC_CALL -> new DefaultAsyncCall<>(call);
            case COMPLETABLE_FUTURE, COMPLETION_STAGE -> call;
            case MONO -> ReactorSupport.mono(call);
            case FLUX -> ReactorSupport.flux(call, call.pipes.implicitOut());
            case VALUE -> await(call);
            case REPLY_HANDLE -> throw new IllegalStateException("unreachable: AsyncReply on a caller's interface");
        };
    }

    /** Bind the call's pipes; when the call ends, pipes that have not ended fail with its outcome. */
    private void bindPipes(ClientMethod m, CallFuture<Object> call, Object[] arguments) {
        CallPipes pipes;
        try {
            pipes = m.pipes.bindCaller(arguments, this.runtime.executor, this.runtime.pipeRegistry,
                    () -> call.cancelCall(CancelMode.ABORTIVE));
        }
        catch (RuntimeException ex) {
            call.releaseRequest();
            throw ex;
        }
        call.pipes = pipes;
        call.whenComplete((v, t) -> pipes.finish((t == null) ? null : asRemote(t)));
    }

    private static RemoteCallException asRemote(Throwable t) {
        Throwable c = (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) ? t.getCause() : t;
        if (c instanceof RemoteCallException rce) {
            return rce;
        }
        if (c instanceof java.util.concurrent.CancellationException) {
            return new RemoteCallException(Status.CANCELLED, "the caller cancelled the call");
        }
        return new RemoteCallException(Status.INTERNAL, String.valueOf(c));
    }

    private static Object await(CallFuture<Object> call) {
        try {
            return call.get();
        }
        catch (InterruptedException ex) {
            call.cancelCall(dev.asyncrpc.CancelMode.ABORTIVE);
            Thread.currentThread().interrupt();
            throw new RemoteCallException(Status.CANCELLED, "interrupted while waiting for " + call.method.model.signature(), Map.of(), ex);
        }
        catch (java.util.concurrent.CancellationException ex) {
            // a plain call is cancelled only through its pipes (a cancelled out-pipe subscription)
            throw new RemoteCallException(Status.CANCELLED, call.method.model.signature() + " was cancelled by the caller", Map.of(), ex);
        }
        catch (ExecutionException ex) {
            if (ex.getCause() instanceof RemoteCallException rce) {
                // a fresh exception, so that the stack trace shows the caller
                throw new RemoteCallException(rce.status(), rce.description(), rce.details(), rce);
            }
            throw new RemoteCallException(Status.INTERNAL, String.valueOf(ex.getCause()), Map.of(), ex.getCause());
        }
    }

    private Object invokeLocal(Object proxy, Method method, Object[] args) throws Throwable {
        switch (method.getName()) {
            case "equals":
                return proxy == args[0];
            case "hashCode":
                return System.identityHashCode(proxy);
            case "toString":
                return "asyncrpc proxy for " + this.model.type().getName() + " (service '" + this.model.name() + "' at " + this.binding.address() + ")";
            default:
                if (method.isDefault()) {
                    return InvocationHandler.invokeDefault(proxy, method, args);
                }
                throw new IllegalStateException("not a remote operation: " + method);
        }
    }
}
