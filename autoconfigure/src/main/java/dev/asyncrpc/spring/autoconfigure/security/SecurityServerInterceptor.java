package dev.asyncrpc.spring.autoconfigure.security;

import java.util.function.Supplier;

import dev.asyncrpc.CallContext;
import dev.asyncrpc.CallListener;
import dev.asyncrpc.RemoteCallException;
import dev.asyncrpc.ServerCall;
import dev.asyncrpc.ServerInterceptor;
import org.jspecify.annotations.Nullable;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolderStrategy;

/**
 * The server interceptor of asyncrpc's Spring Security support: refuses a call that
 * {@link CallSecurity} does not admit (the implementation never runs), and otherwise makes the
 * caller the call's principal and puts its {@link Authentication} in the {@link SecurityContext}
 * wherever the runtime runs code for the call (the implementation, pipe callbacks, tasks run
 * through {@code ServerCall.wrap}), restoring the thread's previous context afterwards.
 */
final class SecurityServerInterceptor implements ServerInterceptor {

    /**
     * Where it runs among interceptor beans: right after the observation interceptor
     * ({@code ObservationServerInterceptor.ORDER}, {@code Integer.MIN_VALUE + 1000}).
     */
    static final int ORDER = Integer.MIN_VALUE + 1100;

    private final CallSecurity security;

    private final SecurityContextHolderStrategy holder;

    /** The context of the last caller (immutable, so shared by its calls; racing writers only cost a new one). */
    private volatile @Nullable AuthenticationContext last;

    SecurityServerInterceptor(CallSecurity security, SecurityContextHolderStrategy holder) {
        this.security = security;
        this.holder = holder;
    }

    @Override
    public @Nullable CallListener intercept(Call call) {
        Authentication caller;
        try {
            caller = this.security.check(call);
        }
        catch (CallRefusedException ex) {
            throw new RemoteCallException(ex.status(), ex.getMessage());
        }
        if (caller != null) {
            call.principal(caller);
            call.attach(contextOf(caller));
        }
        return null;
    }

    /** The context for {@code caller}: the last one made while the caller is the same (a steady caller's is made once). */
    private AuthenticationContext contextOf(Authentication caller) {
        AuthenticationContext last = this.last;
        if (last == null || last.caller() != caller) {
            last = new AuthenticationContext(caller, this.holder);
            this.last = last;
        }
        return last;
    }

    /** Whether this call's check cannot block: its token is cached (or it has none) and only property rules authorize. */
    @Override
    public boolean mayRunOnEventLoop(ServerCall call) {
        return this.security.decidesWithoutBlocking(call);
    }

    /**
     * Puts one caller's authentication in the security context of the thread that opens it, and
     * puts the thread's previous context back when the scope closes. Restoring rather than clearing
     * keeps the holder's thread-local entry in place, so that a worker running call after call only
     * replaces it (no removal and re-insertion per call); a thread that had no context is left with
     * an empty one, which holds no authentication.
     */
    record AuthenticationContext(Authentication caller, SecurityContextHolderStrategy holder) implements CallContext {

        @Override
        public Scope open() {
            SecurityContext context = this.holder.createEmptyContext();
            context.setAuthentication(this.caller);
            Opened opened = new Opened(context, this.holder.getDeferredContext(), this.holder);
            this.holder.setDeferredContext(opened);
            return opened;
        }
    }

    /**
     * One opening of an {@link AuthenticationContext}: the call's context as the holder's supplier, and
     * the scope that puts the previous one back (one object for both).
     */
    private record Opened(SecurityContext context, Supplier<SecurityContext> previous, SecurityContextHolderStrategy holder)
            implements Supplier<SecurityContext>, CallContext.Scope {

        @Override
        public SecurityContext get() {
            return this.context;
        }

        @Override
        public void close() {
            this.holder.setDeferredContext(this.previous);
        }
    }
}
