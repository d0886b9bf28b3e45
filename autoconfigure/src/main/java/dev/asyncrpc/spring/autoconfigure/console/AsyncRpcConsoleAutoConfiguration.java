package dev.asyncrpc.spring.autoconfigure.console;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import dev.asyncrpc.AsyncRpcResources;
import dev.asyncrpc.AsyncRpcServer;
import dev.asyncrpc.RemoteService;
import dev.asyncrpc.spring.AsyncRpcClientCustomizer;
import dev.asyncrpc.spring.autoconfigure.AsyncRpcClientAutoConfiguration;
import dev.asyncrpc.spring.autoconfigure.AsyncRpcClients;
import dev.asyncrpc.spring.autoconfigure.AsyncRpcServerAutoConfiguration;
import dev.asyncrpc.spring.autoconfigure.AsyncRpcServerLifecycle;
import dev.asyncrpc.spring.autoconfigure.observability.AsyncRpcObservabilityProperties;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.ClassUtils;
import org.springframework.util.function.SingletonSupplier;

/**
 * Auto-configuration of the asyncrpc web console ({@link AsyncRpcConsoleEndpoint}) when
 * {@code asyncrpc.console.enabled} is true and the endpoint is available (exposed like any
 * Actuator endpoint, for example {@code management.endpoints.web.exposure.include=asyncrpcconsole}).
 * Off by default: the console can call every operation the application serves.
 */
@AutoConfiguration(after = { AsyncRpcServerAutoConfiguration.class, AsyncRpcClientAutoConfiguration.class })
@ConditionalOnClass({ AsyncRpcServer.class, Endpoint.class, ConditionalOnAvailableEndpoint.class, JsonMapper.class })
@ConditionalOnBooleanProperty("asyncrpc.console.enabled")
@ConditionalOnAvailableEndpoint(AsyncRpcConsoleEndpoint.class)
@EnableConfigurationProperties({ AsyncRpcConsoleProperties.class, AsyncRpcObservabilityProperties.class })
public final class AsyncRpcConsoleAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    AsyncRpcConsoleEndpoint asyncRpcConsoleEndpoint(ObjectProvider<AsyncRpcServerLifecycle> server, ObjectProvider<AsyncRpcClients> clients,
            ConfigurableListableBeanFactory beanFactory, ObjectProvider<JsonMapper> jsonMapper, ObjectProvider<ConsoleMetrics> metrics, ObjectProvider<AsyncRpcResources> resources,
            ObjectProvider<AsyncRpcClientCustomizer> customizers,
            AsyncRpcConsoleProperties properties, AsyncRpcObservabilityProperties observability) {
        check(properties.getMaxCalls() >= 1, "asyncrpc.console.max-calls", properties.getMaxCalls(), ">= 1");
        check(properties.getMaxElements() >= 0, "asyncrpc.console.max-elements", properties.getMaxElements(), ">= 0");
        ConsoleCatalog catalog = new ConsoleCatalog(() -> {
            AsyncRpcServerLifecycle lifecycle = server.getIfAvailable();
            return (lifecycle != null) ? lifecycle.getServer() : null;
        }, () -> {
            AsyncRpcClients all = clients.getIfAvailable();
            return (all != null) ? all.clients() : Map.of();
        }, SingletonSupplier.of(() -> remoteInterfaces(beanFactory)));
        ConsoleCalls calls = new ConsoleCalls(catalog, jsonMapper.getIfAvailable(() -> JsonMapper.builder().build()), resources.getIfAvailable(),
                customizers.orderedStream().toList(),
                properties.getMaxCalls(), 4 * properties.getMaxCalls(), properties.getMaxElements());
        ConsoleMetrics stats = metrics.getIfAvailable();
        Supplier<List<Map<String, Object>>> operations = (stats != null) ? stats : List::of;
        ConsoleLiveView live = new ConsoleLiveView(catalog, calls::consoleClient, operations, observability.getEndpoint().getMaxPendingCalls());
        return new AsyncRpcConsoleEndpoint(catalog, calls, live);
    }

    /** The {@code @RemoteService} interfaces of the application's beans: endpoints' and imported ones. */
    static Collection<Class<?>> remoteInterfaces(ConfigurableListableBeanFactory beanFactory) {
        Set<Class<?>> found = new LinkedHashSet<>();
        for (String name : beanFactory.getBeanDefinitionNames()) {
            Class<?> type = beanFactory.getType(name, false);
            if (type == null) {
                continue;
            }
            if (type.isInterface() && type.isAnnotationPresent(RemoteService.class)) {
                found.add(type);
            }
            for (Class<?> implemented : ClassUtils.getAllInterfacesForClassAsSet(type)) {
                if (implemented.isAnnotationPresent(RemoteService.class)) {
                    found.add(implemented);
                }
            }
        }
        return found;
    }

    private static void check(boolean ok, String property, Object value, String expected) {
        if (!ok) {
            throw new IllegalArgumentException(property + ": " + value + " (expected: " + expected + ")");
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    static final class ConsoleMetricsConfiguration {

        @Bean
        ConsoleMetrics asyncRpcConsoleMetrics(ObjectProvider<MeterRegistry> registry) {
            return new ConsoleMetrics(registry.getIfAvailable(io.micrometer.core.instrument.simple.SimpleMeterRegistry::new));
        }

        @Bean
        static MeterFilter asyncRpcConsolePercentiles() {
            return ConsoleMetrics.percentiles();
        }
    }
}
