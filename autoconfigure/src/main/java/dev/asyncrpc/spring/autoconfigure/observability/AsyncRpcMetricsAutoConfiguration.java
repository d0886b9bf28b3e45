package dev.asyncrpc.spring.autoconfigure.observability;

import dev.asyncrpc.AsyncRpcServer;
import dev.asyncrpc.spring.AsyncRpcClientCustomizer;
import dev.asyncrpc.spring.AsyncRpcServerCustomizer;
import dev.asyncrpc.spring.autoconfigure.AsyncRpcClientAutoConfiguration;
import dev.asyncrpc.spring.autoconfigure.AsyncRpcClients;
import dev.asyncrpc.spring.autoconfigure.AsyncRpcServerAutoConfiguration;
import dev.asyncrpc.spring.autoconfigure.AsyncRpcServerLifecycle;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of asyncrpc's gauges and counters: with a {@link MeterRegistry} bean, a
 * {@link MeterBinder} registers pending calls and connections per client, active calls and
 * connections of the server, cancels by mode, go-aways and the direct memory used by Netty's
 * default allocator. The call timers come from the observations
 * ({@link AsyncRpcObservationAutoConfiguration}).
 */
@AutoConfiguration(after = { AsyncRpcServerAutoConfiguration.class, AsyncRpcClientAutoConfiguration.class },
        afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
                "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnClass({ AsyncRpcServer.class, MeterBinder.class })
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnBooleanProperty(name = "asyncrpc.metrics.enabled", matchIfMissing = true)
@EnableConfigurationProperties(AsyncRpcObservabilityProperties.class)
public final class AsyncRpcMetricsAutoConfiguration {

    @Bean
    AsyncRpcMetrics asyncRpcMetrics(ObjectProvider<AsyncRpcServerLifecycle> server, ObjectProvider<AsyncRpcClients> clients) {
        return new AsyncRpcMetrics(() -> {
            AsyncRpcServerLifecycle lifecycle = server.getIfAvailable();
            return (lifecycle != null) ? lifecycle.getServer() : null;
        }, (service) -> {
            AsyncRpcClients all = clients.getIfAvailable();
            return (all != null) ? all.clients().get(service) : null;
        });
    }

    @Bean
    AsyncRpcServerCustomizer asyncRpcServerMetricsCustomizer(ObjectProvider<AsyncRpcMetrics> metrics) {
        return (builder) -> metrics.ifAvailable(AsyncRpcMetrics::serverBuilt);
    }

    @Bean
    AsyncRpcClientCustomizer asyncRpcClientMetricsCustomizer(ObjectProvider<AsyncRpcMetrics> metrics) {
        return (service, builder) -> metrics.ifAvailable((m) -> m.clientBuilt(service));
    }
}
