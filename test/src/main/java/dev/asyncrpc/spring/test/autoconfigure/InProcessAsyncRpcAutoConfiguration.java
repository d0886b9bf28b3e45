package dev.asyncrpc.spring.test.autoconfigure;

import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import dev.asyncrpc.RemoteService;
import dev.asyncrpc.spring.AsyncRpcConnectionDetails;
import dev.asyncrpc.spring.AsyncRpcServerCustomizer;
import dev.asyncrpc.spring.RemoteEndpoint;
import dev.asyncrpc.spring.autoconfigure.AsyncRpcClientAutoConfiguration;
import dev.asyncrpc.spring.autoconfigure.AsyncRpcServerAutoConfiguration;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.util.ClassUtils;

/**
 * Imported by {@link dev.asyncrpc.spring.test.AutoConfigureInProcessAsyncRpc}: the server listens on
 * a fresh in-JVM address ({@code local:asyncrpc-test-<uuid>}) instead of a TCP port, and clients of
 * the services the context serves connect to it. Runs its customizer last and its connection
 * details first, so that they win over properties and other beans.
 */
@AutoConfiguration(before = { AsyncRpcServerAutoConfiguration.class, AsyncRpcClientAutoConfiguration.class })
public final class InProcessAsyncRpcAutoConfiguration {

    private final String address = "local:asyncrpc-test-" + UUID.randomUUID();

    @Bean
    @Order(Ordered.LOWEST_PRECEDENCE)
    AsyncRpcServerCustomizer inProcessAsyncRpcServerCustomizer() {
        return (builder) -> builder.address(this.address);
    }

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    AsyncRpcConnectionDetails inProcessAsyncRpcConnectionDetails(ListableBeanFactory beanFactory) {
        return new AsyncRpcConnectionDetails() {

            private @Nullable Set<String> served;

            @Override
            public @Nullable String getAddress(String service) {
                return servedServices().contains(service) ? InProcessAsyncRpcAutoConfiguration.this.address : null;
            }

            private synchronized Set<String> servedServices() {
                if (this.served == null) {
                    this.served = served(beanFactory);
                }
                return this.served;
            }
        };
    }

    /** The services the context's {@code @RemoteEndpoint} beans implement. */
    static Set<String> served(ListableBeanFactory beanFactory) {
        Set<String> names = new TreeSet<>();
        for (Object endpoint : beanFactory.getBeansWithAnnotation(RemoteEndpoint.class).values()) {
            for (Class<?> type : ClassUtils.getAllInterfacesForClassAsSet(AopUtils.getTargetClass(endpoint))) {
                RemoteService service = type.getAnnotation(RemoteService.class);
                if (service != null) {
                    names.add(service.value());
                }
            }
        }
        return names;
    }
}
