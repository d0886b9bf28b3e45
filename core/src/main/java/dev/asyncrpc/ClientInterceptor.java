package dev.asyncrpc;

import java.util.Map;

/**
 * Intercepts the calls of a client before they are sent: reads or adds metadata, fails a call, and
 * watches the outcome. Register with {@link AsyncRpcClient.Builder#interceptor(ClientInterceptor)}
 * (every service) or {@link AsyncRpcClient.Builder#interceptor(String, ClientInterceptor)} (one
 * service); a call passes the interceptors of its service in the order they were registered.
 *
 * <pre>{@code
 * ClientInterceptor tenant = call -> {
 *     call.metadata().put("tenant", "acme");
 *     return null;
 * };
 * }</pre>
 *
 * <p>Interceptors run on the thread that makes the call, before the {@link CallObserver}; they must
 * not block.
 */
@FunctionalInterface
public interface ClientInterceptor {

    /**
     * Intercept one call before it is sent. Throw a {@link RemoteCallException} to fail the call
     * without sending it: a plain call throws it, an {@link AsyncRemote} call returns a handle that
     * has failed with it. Any other exception fails the call with {@link Status#INTERNAL}.
     * @param call the call
     * @return told how the call ended, or {@code null}; listeners run in the reverse order of their
     *         interceptors (also when a later interceptor failed the call)
     */
    CallListener intercept(Call call);

    /** A call as client interceptors see it. */
    interface Call {

        /**
         * The service name.
         * @return the service name
         */
        String service();

        /**
         * The operation name.
         * @return the operation name
         */
        String operation();

        /**
         * Whether the caller uses an asynchronous handle ({@link AsyncRemote}).
         * @return whether the call is asynchronous for the caller
         */
        boolean isAsync();

        /**
         * The address the client's binding sends to, as configured (possibly a list).
         * @return the address
         */
        String address();

        /**
         * Whether the client's connections use TLS ({@link AsyncRpcClient.Builder#tls}), however it
         * was configured; for example to refuse sending a credential in plaintext.
         * @return whether the call travels over TLS; {@code false} unless the implementation knows
         */
        default boolean isTls() {
            return false;
        }

        /**
         * The metadata the call carries; writable until the call is sent (entries put here
         * travel with the call).
         * @return the metadata
         */
        Map<String, String> metadata();
    }
}
