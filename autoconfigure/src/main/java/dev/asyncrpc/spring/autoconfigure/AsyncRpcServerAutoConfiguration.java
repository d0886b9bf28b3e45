package dev.asyncrpc.spring.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import dev.asyncrpc.AsyncRpcServer;
import dev.asyncrpc.spring.AsyncRpcServerCustomizer;
import dev.asyncrpc.spring.RemoteEndpoint;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnThreading;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.boot.thread.Threading;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;

/**
 * Auto-configuration of the asyncrpc server: when the context holds beans annotated
 * {@link RemoteEndpoint}, an {@link AsyncRpcServerLifecycle} serves them on
 * {@code asyncrpc.server.port} from the moment the context starts until it closes. Plain
 * implementations run on a pool of {@code asyncrpc.server.worker-threads} threads, or on virtual
 * threads when {@code spring.threads.virtual.enabled=true} (Java 21 and later).
 */
@AutoConfiguration
@ConditionalOnClass(AsyncRpcServer.class)
@ConditionalOnBooleanProperty(name = "asyncrpc.server.enabled", matchIfMissing = true)
@EnableConfigurationProperties(AsyncRpcServerProperties.class)
public final class AsyncRpcServerAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(annotation = RemoteEndpoint.class)
    AsyncRpcServerLifecycle asyncRpcServerLifecycle(AsyncRpcServerProperties properties, ApplicationContext context,
            ObjectProvider<AsyncRpcServerCustomizer> customizers) {
        return new AsyncRpcServerLifecycle(properties,
                () -> new ArrayList<>(context.getBeansWithAnnotation(RemoteEndpoint.class).values()),
                customizers.orderedStream().toList(), context);
    }

    @Bean
    @Order(0)
    @ConditionalOnThreading(Threading.VIRTUAL)
    @ConditionalOnBean(annotation = RemoteEndpoint.class)
    VirtualThreadsServerCustomizer asyncRpcVirtualThreadsServerCustomizer() {
        return new VirtualThreadsServerCustomizer();
    }
}
