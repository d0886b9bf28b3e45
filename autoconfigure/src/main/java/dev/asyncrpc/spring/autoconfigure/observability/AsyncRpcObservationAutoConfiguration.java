package dev.asyncrpc.spring.autoconfigure.observability;

import dev.asyncrpc.CallObserver;
import dev.asyncrpc.spring.observation.AsyncRpcClientObservationConvention;
import dev.asyncrpc.spring.observation.AsyncRpcServerObservationConvention;
import dev.asyncrpc.spring.observation.ObservationCallObserver;
import dev.asyncrpc.spring.observation.ObservationServerInterceptor;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;

/**
 * Auto-configuration of Micrometer Observation for asyncrpc calls: with an
 * {@link ObservationRegistry} bean, an {@link ObservationCallObserver} observes every call of the
 * clients ({@code asyncrpc.client.requests}) and an {@link ObservationServerInterceptor} every call
 * of the server ({@code asyncrpc.server.requests}, current while the implementation runs),
 * named and tagged by {@link AsyncRpcClientObservationConvention} and
 * {@link AsyncRpcServerObservationConvention} beans when there are any.
 */
@AutoConfiguration(afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass({ CallObserver.class, ObservationRegistry.class })
@ConditionalOnBean(ObservationRegistry.class)
@ConditionalOnBooleanProperty(name = "asyncrpc.observation.enabled", matchIfMissing = true)
@EnableConfigurationProperties(AsyncRpcObservabilityProperties.class)
public final class AsyncRpcObservationAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ObservationCallObserver asyncRpcObservationCallObserver(ObservationRegistry registry,
            ObjectProvider<AsyncRpcClientObservationConvention> clientConvention) {
        return new ObservationCallObserver(registry, clientConvention.getIfUnique());
    }

    @Bean
    @ConditionalOnMissingBean
    @Order(ObservationServerInterceptor.ORDER)
    ObservationServerInterceptor asyncRpcObservationServerInterceptor(ObservationRegistry registry,
            ObjectProvider<AsyncRpcServerObservationConvention> serverConvention) {
        return new ObservationServerInterceptor(registry, serverConvention.getIfUnique());
    }
}
