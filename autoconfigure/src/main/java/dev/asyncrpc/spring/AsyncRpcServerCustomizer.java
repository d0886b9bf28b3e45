package dev.asyncrpc.spring;

import dev.asyncrpc.AsyncRpcServer;

/**
 * Adjusts the builder of the application's asyncrpc server after the
 * {@code asyncrpc.server.*} properties have been applied. Beans of this type are applied in
 * {@link org.springframework.core.annotation.Order order}.
 */
@FunctionalInterface
public interface AsyncRpcServerCustomizer {

    /**
     * Customize the server builder.
     * @param builder the builder, with the properties and the endpoints already applied
     */
    void customize(AsyncRpcServer.Builder builder);
}
