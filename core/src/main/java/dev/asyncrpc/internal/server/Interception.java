package dev.asyncrpc.internal.server;

import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import dev.asyncrpc.CallContext;
import dev.asyncrpc.CallListener;
import dev.asyncrpc.ServerCall;
import dev.asyncrpc.ServerInterceptor;
import dev.asyncrpc.Status;

/**
 * One call's pass through its interceptors and what they left on it: the principal, the attached
 * {@link CallContext}s and the outcome listeners. The interceptors run on the dispatching thread
 * ({@link #run()}); contexts they attach are opened there at once and stay open for the
 * implementation method ({@link #endDispatch()} closes them); elsewhere {@link #open()} opens them
 * all around a callback. It is the {@link ServerInterceptor.Call} handed to interceptors and
 * delegates the rest to the call.
 */
final class Interception implements ServerInterceptor.Call {

    private static final System.Logger LOG = System.getLogger(Interception.class.getName());

    private final ServerCall call;
    private final ServerInterceptor[] chain;
    private final boolean async;

    private static final CallContext[] NO_CONTEXTS = new CallContext[0];

    private volatile Principal principal;
    /** Attached contexts, replaced (never changed) on attach so that other threads read a snapshot. */
    private volatile CallContext[] contexts = NO_CONTEXTS;
    /**
     * Listeners in interceptor order, or {@code null} before the first (most calls have none);
     * written only while intercepting, read when the call ends; guarded by {@code this}.
     */
    private List<CallListener> listeners;
    /**
     * Scopes opened on the dispatching thread, closed by {@link #endDispatch()}: the first in its
     * own field (most calls have one context or none), any others in the list; {@code null} when none.
     */
    private CallContext.Scope firstDispatchScope;
    private List<CallContext.Scope> moreDispatchScopes;
    private volatile boolean intercepting;

    Interception(ServerCall call, ServerInterceptor[] chain, boolean async) {
        this.call = call;
        this.chain = chain;
        this.async = async;
    }

    /**
     * Run the interceptors in order on this thread. An exception from an interceptor ends the pass
     * and propagates (the call is refused); the contexts opened so far stay open until
     * {@link #endDispatch()}.
     */
    void run() {
        this.intercepting = true;
        try {
            for (ServerInterceptor interceptor : this.chain) {
                CallListener listener = interceptor.intercept(this);
                if (listener != null) {
                    synchronized (this) {
                        if (this.listeners == null) {
                            this.listeners = new ArrayList<>(2);
                        }
                        this.listeners.add(listener);
                    }
                }
            }
        }
        finally {
            this.intercepting = false;
        }
    }

    /** Close the scopes opened on the dispatching thread, in reverse order (that thread). */
    void endDispatch() {
        List<CallContext.Scope> more = this.moreDispatchScopes;
        CallContext.Scope first = this.firstDispatchScope;
        this.moreDispatchScopes = null;
        this.firstDispatchScope = null;
        if (more != null) {
            closeAll(more);
        }
        if (first != null) {
            closeSafely(first);
        }
    }

    /** Open every attached context on this thread; the result closes them in reverse order. */
    CallContext.Scope open() {
        CallContext[] all = this.contexts;
        if (all.length == 0) {
            return CallContext.Scope.NOOP;
        }
        if (all.length == 1) {
            CallContext.Scope only = openSafely(all[0]);
            return () -> closeSafely(only);
        }
        List<CallContext.Scope> scopes = new ArrayList<>(all.length);
        for (CallContext c : all) {
            scopes.add(openSafely(c));
        }
        return () -> closeAll(scopes);
    }

    /** Tell the listeners, in reverse order, with the contexts current (the thread that ended the call). */
    void completed(Status status, String message) {
        List<CallListener> told;
        synchronized (this) {
            if (this.listeners == null || this.listeners.isEmpty()) {
                return;
            }
            told = new ArrayList<>(this.listeners);
        }
        try (CallContext.Scope scope = open()) {
            for (int i = told.size() - 1; i >= 0; i--) {
                try {
                    told.get(i).onComplete(status, message);
                }
                catch (RuntimeException ex) {
                    LOG.log(System.Logger.Level.WARNING, "a CallListener of " + this.call.service() + "/" + this.call.operation() + " failed", ex);
                }
            }
        }
    }

    Optional<Principal> principalValue() {
        return Optional.ofNullable(this.principal);
    }

    private static CallContext.Scope openSafely(CallContext context) {
        try {
            CallContext.Scope scope = context.open();
            return (scope != null) ? scope : CallContext.Scope.NOOP;
        }
        catch (RuntimeException ex) {
            LOG.log(System.Logger.Level.WARNING, "a CallContext failed to open", ex);
            return CallContext.Scope.NOOP;
        }
    }

    private static void closeAll(List<CallContext.Scope> scopes) {
        for (int i = scopes.size() - 1; i >= 0; i--) {
            closeSafely(scopes.get(i));
        }
    }

    private static void closeSafely(CallContext.Scope scope) {
        try {
            scope.close();
        }
        catch (RuntimeException ex) {
            LOG.log(System.Logger.Level.WARNING, "a CallContext scope failed to close", ex);
        }
    }

    // ---- ServerInterceptor.Call ----

    @Override
    public void principal(Principal principal) {
        this.principal = principal;
    }

    @Override
    public void attach(CallContext context) {
        Objects.requireNonNull(context, "context");
        if (!this.intercepting) {
            throw new IllegalStateException("attach: a CallContext can only be attached while the interceptors run");
        }
        CallContext[] old = this.contexts;
        CallContext[] next = java.util.Arrays.copyOf(old, old.length + 1);
        next[old.length] = context;
        this.contexts = next;
        CallContext.Scope scope = openSafely(context);
        if (this.firstDispatchScope == null) {
            this.firstDispatchScope = scope;
        }
        else {
            if (this.moreDispatchScopes == null) {
                this.moreDispatchScopes = new ArrayList<>(2);
            }
            this.moreDispatchScopes.add(scope);
        }
    }

    @Override
    public Optional<Principal> principal() {
        Principal set = this.principal;
        return (set != null) ? Optional.of(set) : this.call.principal();
    }

    @Override
    public List<java.security.cert.X509Certificate> peerCertificates() {
        return this.call.peerCertificates();
    }

    @Override
    public boolean isAsync() {
        return this.async;
    }

    @Override
    public String service() {
        return this.call.service();
    }

    @Override
    public String operation() {
        return this.call.operation();
    }

    @Override
    public boolean isCancelled() {
        return this.call.isCancelled();
    }

    @Override
    public void onCancel(Runnable action) {
        this.call.onCancel(action);
    }

    @Override
    public void onDisconnect(Runnable action) {
        this.call.onDisconnect(action);
    }

    @Override
    public Optional<Instant> deadline() {
        return this.call.deadline();
    }

    @Override
    public Optional<Duration> remaining() {
        return this.call.remaining();
    }

    @Override
    public String peer() {
        return this.call.peer();
    }

    @Override
    public Map<String, String> metadata() {
        return this.call.metadata();
    }

    @Override
    public Runnable wrap(Runnable task) {
        return this.call.wrap(task);
    }

    @Override
    public String toString() {
        return "intercepted call " + service() + "/" + operation() + " from " + peer();
    }
}
