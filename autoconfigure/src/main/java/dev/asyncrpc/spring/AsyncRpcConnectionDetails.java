package dev.asyncrpc.spring;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;

/**
 * Where the clients of remote services connect. The auto-configuration asks every bean of this
 * type, in {@link org.springframework.core.annotation.Order order}, for the address of a service;
 * the first non-{@code null} answer wins, and {@code asyncrpc.client.services.<name>.address} is
 * the fallback. Other sources (Testcontainers' {@code @ServiceConnection}, Docker Compose, a
 * discovery service) supply addresses through a bean of this type.
 */
@FunctionalInterface
public interface AsyncRpcConnectionDetails extends ConnectionDetails {

    /**
     * The address of a remote service: {@code host:port}, {@code unix:/path} or {@code local:name}.
     * @param service the service name, as in {@code @RemoteService("name")}
     * @return the address, or {@code null} if these details do not know the service
     */
    @Nullable String getAddress(String service);
}
