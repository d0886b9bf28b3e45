package dev.asyncrpc.spring;

import dev.asyncrpc.AsyncRpcClient;

/**
 * Adjusts the builder of the client of one remote service after the {@code asyncrpc.client.*}
 * properties have been applied. Beans of this type are applied in
 * {@link org.springframework.core.annotation.Order order}, to every service's client.
 */
@FunctionalInterface
public interface AsyncRpcClientCustomizer {

    /**
     * Customize a client builder.
     * @param service the name of the remote service the client calls
     * @param builder the builder, with the address and properties already applied
     */
    void customize(String service, AsyncRpcClient.Builder builder);
}
