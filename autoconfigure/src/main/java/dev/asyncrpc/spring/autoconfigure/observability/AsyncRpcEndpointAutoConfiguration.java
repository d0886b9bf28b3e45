package dev.asyncrpc.spring.autoconfigure.observability;

import java.util.Map;

import dev.asyncrpc.AsyncRpcServer;
import dev.asyncrpc.spring.autoconfigure.AsyncRpcClientAutoConfiguration;
import dev.asyncrpc.spring.autoconfigure.AsyncRpcClients;
import dev.asyncrpc.spring.autoconfigure.AsyncRpcServerAutoConfiguration;
import dev.asyncrpc.spring.autoconfigure.AsyncRpcServerLifecycle;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code asyncrpc} Actuator endpoint ({@link AsyncRpcEndpoint}), when
 * it is available (exposed and not turned off with Spring Boot's {@code management.endpoint.*}
 * and {@code management.endpoints.*} settings).
 */
@AutoConfiguration(after = { AsyncRpcServerAutoConfiguration.class, AsyncRpcClientAutoConfiguration.class })
@ConditionalOnClass({ AsyncRpcServer.class, Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnAvailableEndpoint(AsyncRpcEndpoint.class)
@EnableConfigurationProperties(AsyncRpcObservabilityProperties.class)
public final class AsyncRpcEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    AsyncRpcEndpoint asyncRpcEndpoint(ObjectProvider<AsyncRpcServerLifecycle> server, ObjectProvider<AsyncRpcClients> clients,
            AsyncRpcObservabilityProperties properties) {
        return new AsyncRpcEndpoint(() -> {
            AsyncRpcServerLifecycle lifecycle = server.getIfAvailable();
            return (lifecycle != null) ? lifecycle.getServer() : null;
        }, () -> {
            AsyncRpcClients all = clients.getIfAvailable();
            return (all != null) ? all.clients() : Map.of();
        }, properties.getEndpoint().getMaxPendingCalls());
    }
}
