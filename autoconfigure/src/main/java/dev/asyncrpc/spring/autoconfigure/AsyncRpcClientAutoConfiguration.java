package dev.asyncrpc.spring.autoconfigure;

import dev.asyncrpc.AsyncRpcClient;
import dev.asyncrpc.AsyncRpcResources;
import dev.asyncrpc.CallObserver;
import dev.asyncrpc.ClientInterceptor;
import dev.asyncrpc.spring.AsyncRpcClientCustomizer;
import dev.asyncrpc.spring.AsyncRpcConnectionDetails;
import dev.asyncrpc.spring.ImportRemoteServices;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of asyncrpc clients: the {@link AsyncRpcClients} behind the beans that
 * {@link ImportRemoteServices} registers, one client per remote service, addressed by
 * {@link AsyncRpcConnectionDetails} beans or {@code asyncrpc.client.services.<name>.address}, over
 * TLS when {@code asyncrpc.client.services.<name>.ssl.bundle} (or
 * {@code asyncrpc.client.defaults.ssl.bundle}) names an SSL bundle.
 * Every {@link CallObserver} bean observes the clients' calls; {@link ClientInterceptor} beans
 * intercept them in {@code @Order} (limited to some services by {@link dev.asyncrpc.spring.ForServices}).
 * Every client borrows the threads of the {@link AsyncRpcResources} bean (one event loop group and
 * one completion executor for the application); each keeps its own connections and settings.
 */
@AutoConfiguration(after = { AsyncRpcResourcesAutoConfiguration.class, AsyncRpcServerAutoConfiguration.class, SslAutoConfiguration.class })
@ConditionalOnClass(AsyncRpcClient.class)
@ConditionalOnBooleanProperty(name = "asyncrpc.client.enabled", matchIfMissing = true)
@EnableConfigurationProperties(AsyncRpcClientProperties.class)
public final class AsyncRpcClientAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    AsyncRpcClients asyncRpcClients(AsyncRpcClientProperties properties, ObjectProvider<AsyncRpcConnectionDetails> connectionDetails,
            ObjectProvider<AsyncRpcClientCustomizer> customizers, Environment environment, ObjectProvider<SslBundles> sslBundles,
            ObjectProvider<AsyncRpcResources> resources) {
        return new AsyncRpcClients(properties, connectionDetails.orderedStream().toList(), customizers.orderedStream().toList(),
                environment, sslBundles.getIfAvailable(), resources.getIfAvailable());
    }

    @Bean
    @Order(0)
    AsyncRpcClientCustomizer asyncRpcClientInterceptorCustomizer(ListableBeanFactory beanFactory, ObjectProvider<ClientInterceptor> interceptors) {
        return (service, builder) -> {
            for (ExtensionBeans.Scoped<ClientInterceptor> scoped : ExtensionBeans.ordered(beanFactory, ClientInterceptor.class, interceptors)) {
                if (scoped.appliesTo(service)) {
                    builder.interceptor(scoped.bean());
                }
            }
        };
    }

    @Bean
    @Order(0)
    AsyncRpcClientCustomizer asyncRpcClientObserverCustomizer(ObjectProvider<CallObserver> observers) {
        return (service, builder) -> {
            CallObserver observer = CompositeCallObserver.of(observers.orderedStream().toList());
            if (observer != CallObserver.NONE) {
                builder.observer(observer);
            }
        };
    }
}
