package dev.asyncrpc.spring.autoconfigure.observability;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.asyncrpc.AsyncRpcServer;
import dev.asyncrpc.spring.autoconfigure.AsyncRpcClientAutoConfiguration;
import dev.asyncrpc.spring.autoconfigure.AsyncRpcClients;
import dev.asyncrpc.spring.autoconfigure.AsyncRpcServerAutoConfiguration;
import dev.asyncrpc.spring.autoconfigure.AsyncRpcServerLifecycle;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroupsPostProcessor;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration of the {@code asyncrpc} health contributor: {@code server} (UP while bound
 * and accepting, OUT_OF_SERVICE before the start, while draining and once stopped) and
 * {@code clients} (each target pinged within {@code asyncrpc.health.ping-timeout}: reachable with
 * its round-trip time or not with the reason, plus address, connection state and pending calls;
 * UP even when a target is unreachable, since a dependency's outage must not make its callers
 * unready). It is a member of
 * the readiness group unless {@code asyncrpc.health.include-in-readiness=false}, so that a
 * draining server takes the application out of rotation. Spring Boot's
 * {@code management.health.asyncrpc.enabled=false} turns it off.
 */
@AutoConfiguration(after = { AsyncRpcServerAutoConfiguration.class, AsyncRpcClientAutoConfiguration.class },
        afterName = "org.springframework.boot.health.autoconfigure.actuate.endpoint.AvailabilityProbesAutoConfiguration")
@ConditionalOnClass({ AsyncRpcServer.class, HealthContributor.class })
@ConditionalOnEnabledHealthIndicator("asyncrpc")
@Conditional(AsyncRpcHealthAutoConfiguration.OnServerOrClients.class)
@EnableConfigurationProperties(AsyncRpcObservabilityProperties.class)
public final class AsyncRpcHealthAutoConfiguration {

    /** The name of the health contributor, and of its member of the readiness group. */
    static final String NAME = "asyncrpc";

    @Bean
    @ConditionalOnMissingBean(name = "asyncrpcHealthContributor")
    CompositeHealthContributor asyncrpcHealthContributor(ObjectProvider<AsyncRpcServerLifecycle> server,
            ObjectProvider<AsyncRpcClients> clients, AsyncRpcObservabilityProperties properties) {
        Map<String, HealthContributor> parts = new LinkedHashMap<>();
        AsyncRpcServerLifecycle lifecycle = server.getIfAvailable();
        if (lifecycle != null) {
            parts.put("server", new AsyncRpcServerHealthIndicator(lifecycle::getServer));
        }
        AsyncRpcClients all = clients.getIfAvailable();
        if (all != null) {
            parts.put("clients", new AsyncRpcClientsHealthIndicator(all::clients, properties.getHealth().getPingTimeout()));
        }
        return CompositeHealthContributor.fromMap(parts);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(value = HealthEndpointGroupsPostProcessor.class, name = "org.springframework.boot.actuate.endpoint.SecurityContext")
    @ConditionalOnBooleanProperty(name = "asyncrpc.health.include-in-readiness", matchIfMissing = true)
    static class ReadinessConfiguration {

        @Bean
        HealthEndpointGroupsPostProcessor asyncRpcReadinessGroupPostProcessor() {
            return new ReadinessGroupPostProcessor(NAME);
        }
    }

    /** There is a server or clients to report on. */
    static final class OnServerOrClients extends AnyNestedCondition {

        OnServerOrClients() {
            super(ConfigurationPhase.REGISTER_BEAN);
        }

        @ConditionalOnBean(AsyncRpcServerLifecycle.class)
        static final class Server {

        }

        @ConditionalOnBean(AsyncRpcClients.class)
        static final class Clients {

        }
    }
}
