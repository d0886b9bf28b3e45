package dev.asyncrpc;

import java.security.Principal;

/**
 * Intercepts the calls of a server before their implementation runs: reads the call, refuses it,
 * sets its principal, makes thread-local state current for the implementation and for everything
 * the runtime runs for the call afterwards, and watches the outcome. Register with
 * {@link AsyncRpcServer.Builder#interceptor(ServerInterceptor)} (every service) or
 * {@link AsyncRpcServer.Builder#interceptor(String, ServerInterceptor)} (one service); a call passes
 * the interceptors of its service in the order they were registered.
 *
 * <pre>{@code
 * ServerInterceptor requireTenant = call -> {
 *     String tenant = call.metadata().get("tenant");
 *     if (tenant == null) {
 *         throw new RemoteCallException(Status.PERMISSION_DENIED, "metadata 'tenant' is required");
 *     }
 *     call.attach(() -> {                      // current in the implementation and its callbacks
 *         MDC.put("tenant", tenant);
 *         return () -> MDC.remove("tenant");
 *     });
 *     return (status, message) -> log.info("{} ended with {}", call.operation(), status);
 * };
 * }</pre>
 *
 * <p>Interceptors run on the thread that then runs the implementation: a worker, or with
 * {@link AsyncRpcServer.Builder#directDispatch(boolean) direct dispatch} and an asynchronous
 * implementation the event loop (an interceptor must then not block). The default inline dispatch
 * ({@link AsyncRpcServer.Builder#inlineDispatchLimit}) applies to a call of a service with
 * interceptors only when every one of them says, in {@link #mayRunOnEventLoop}, that it will not
 * block for that call; otherwise the call starts on a worker. They run after the call was
 * admitted (limits, draining) and before its arguments are decoded, so a refused call costs no
 * decoding.
 */
@FunctionalInterface
public interface ServerInterceptor {

    /**
     * Intercept one call. Throw a {@link RemoteCallException} to refuse the call with its status and
     * description: the later interceptors and the implementation do not run, and the caller gets
     * that error. Any other exception refuses the call too, mapped like an implementation's
     * exception ({@link ServerExceptionMapper}).
     * @param call the call, with what an interceptor may change
     * @return told how the call ended, or {@code null}; listeners run in the reverse order of their
     *         interceptors (also when a later interceptor refused the call)
     */
    CallListener intercept(Call call);

    /**
     * Whether {@link #intercept} will not block for this call, so that the call may pass this
     * interceptor on an event loop when inline dispatch would run it there. Asked on the event loop
     * before the call's arguments are decoded: answer at once, from what is in memory (for example,
     * whether the call's credentials are in a cache). The default, {@code false}, keeps the calls of
     * the services this interceptor watches on the workers.
     * @param call the call (service, operation, metadata, peer)
     * @return {@code true} only if intercepting this call cannot block
     */
    default boolean mayRunOnEventLoop(ServerCall call) {
        return false;
    }

    /** A call as interceptors see it: a {@link ServerCall} plus what an interceptor may change. */
    interface Call extends ServerCall {

        /**
         * Set who the caller is, as {@link ServerCall#principal()} reports it from now on (for
         * example after validating a bearer token). The last value set wins.
         * @param principal the caller, or {@code null} for an anonymous caller
         */
        void principal(Principal principal);

        /**
         * Make {@code context} current from now on: for the later interceptors, the implementation
         * method, every callback the runtime runs for this call, and the outcome listeners.
         * Contexts are opened in the order they were attached and closed in reverse.
         * @param context the context
         */
        void attach(CallContext context);

        /**
         * Whether the implementation of this operation is asynchronous (returns a future or takes
         * an {@link AsyncReply}), so that the call may end after the implementation method returned.
         * @return whether the implementation is asynchronous
         */
        boolean isAsync();
    }
}
