package dev.asyncrpc.spring.autoconfigure;

import dev.asyncrpc.AsyncRpcResources;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@link AsyncRpcResources} every asyncrpc client of the application
 * borrows (one event loop group, one completion executor), and the server with
 * {@code asyncrpc.server.shared-resources=true}. The bean owns the threads; Spring closes it after
 * the clients and the server, which depend on it. No thread starts until a connection needs one.
 */
@AutoConfiguration(before = { AsyncRpcServerAutoConfiguration.class, AsyncRpcClientAutoConfiguration.class })
@ConditionalOnClass(AsyncRpcResources.class)
@EnableConfigurationProperties(AsyncRpcResourcesProperties.class)
public final class AsyncRpcResourcesAutoConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    AsyncRpcResources asyncRpcResources(AsyncRpcResourcesProperties properties) {
        AsyncRpcResources.Builder builder = AsyncRpcResources.builder()
            .transport(properties.getTransport())
            .ioThreads(properties.getIoThreads());
        if (properties.getCompletionThreads() > 0) {
            builder.completionThreads(properties.getCompletionThreads());
        }
        try {
            return builder.build();
        }
        catch (IllegalStateException ex) {
            throw new IllegalStateException("asyncrpc.resources.transport: " + properties.getTransport().name().toLowerCase() + " cannot be used: "
                    + ex.getMessage(), ex);
        }
    }
}
