package dev.asyncrpc.spring.autoconfigure;

import java.util.ArrayList;

import dev.asyncrpc.AsyncRpcServer;
import dev.asyncrpc.CallObserver;
import dev.asyncrpc.ServerExceptionMapper;
import dev.asyncrpc.ServerInterceptor;
import dev.asyncrpc.spring.RemoteAdvice;
import dev.asyncrpc.spring.AsyncRpcServerCustomizer;
import dev.asyncrpc.spring.RemoteEndpoint;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.thread.Threading;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.annotation.AnnotationAwareOrderComparator;
import org.springframework.core.annotation.Order;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Auto-configuration of the asyncrpc server: when the context holds beans annotated
 * {@link RemoteEndpoint}, an {@link AsyncRpcServerLifecycle} serves them on
 * {@code asyncrpc.server.port} from the moment the context starts until it closes (draining
 * within {@code asyncrpc.server.shutdown.grace-period}), over TLS when
 * {@code asyncrpc.server.ssl.bundle} names an SSL bundle. Plain implementations run on the
 * executor {@code asyncrpc.server.executor} chooses: by default a pool of
 * {@code asyncrpc.server.worker-threads} threads, or virtual threads when
 * {@code spring.threads.virtual.enabled=true} (Java 21 and later). Every {@link CallObserver} bean
 * observes the server's calls; {@link ServerInterceptor} beans intercept them in {@code @Order}
 * (limited to some services by {@link dev.asyncrpc.spring.ForServices}); {@link ServerExceptionMapper}
 * beans, then the handlers of {@link RemoteAdvice} beans, map implementations' exceptions.
 */
@AutoConfiguration(after = { AsyncRpcResourcesAutoConfiguration.class, SslAutoConfiguration.class, TaskExecutionAutoConfiguration.class, ApplicationAvailabilityAutoConfiguration.class })
@ConditionalOnClass(AsyncRpcServer.class)
@ConditionalOnBooleanProperty(name = "asyncrpc.server.enabled", matchIfMissing = true)
@EnableConfigurationProperties(AsyncRpcServerProperties.class)
public final class AsyncRpcServerAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(annotation = RemoteEndpoint.class)
    AsyncRpcServerLifecycle asyncRpcServerLifecycle(AsyncRpcServerProperties properties, ApplicationContext context,
            ObjectProvider<AsyncRpcServerCustomizer> customizers, ObjectProvider<SslBundles> sslBundles) {
        return new AsyncRpcServerLifecycle(properties,
                () -> new ArrayList<>(context.getBeansWithAnnotation(RemoteEndpoint.class).values()),
                customizers.orderedStream().toList(), context, sslBundles.getIfAvailable());
    }

    /**
     * Gives the server the application's shared event loops with
     * {@code asyncrpc.server.shared-resources=true}, else the transport they use
     * ({@code asyncrpc.resources.transport}) for its own.
     */
    @Bean
    @Order(0)
    @ConditionalOnBean(annotation = RemoteEndpoint.class)
    AsyncRpcServerCustomizer asyncRpcServerResourcesCustomizer(AsyncRpcServerProperties properties,
            ObjectProvider<dev.asyncrpc.AsyncRpcResources> resources) {
        return (builder) -> {
            dev.asyncrpc.AsyncRpcResources shared = resources.getIfAvailable();
            if (shared == null) {
                return;
            }
            if (properties.isSharedResources()) {
                builder.resources(shared);
            }
            else {
                builder.transport(shared.transport());
            }
        };
    }

    @Bean
    @Order(0)
    AsyncRpcServerCustomizer asyncRpcServerObserverCustomizer(ObjectProvider<CallObserver> observers) {
        return (builder) -> {
            CallObserver observer = CompositeCallObserver.of(observers.orderedStream().toList());
            if (observer != CallObserver.NONE) {
                builder.observer(observer);
            }
        };
    }

    @Bean
    @Order(0)
    AsyncRpcServerCustomizer asyncRpcServerInterceptorCustomizer(ListableBeanFactory beanFactory, ObjectProvider<ServerInterceptor> interceptors,
            ObjectProvider<ServerExceptionMapper> mappers) {
        return (builder) -> {
            for (ExtensionBeans.Scoped<ServerInterceptor> scoped : ExtensionBeans.ordered(beanFactory, ServerInterceptor.class, interceptors)) {
                String[] services = scoped.services();
                if (services == null) {
                    builder.interceptor(scoped.bean());
                }
                else {
                    for (String service : services) {
                        builder.interceptor(service, scoped.bean());
                    }
                }
            }
            mappers.orderedStream().forEach(builder::exceptionMapper);
            java.util.List<Object> advice = new ArrayList<>(beanFactory.getBeansWithAnnotation(RemoteAdvice.class).values());
            AnnotationAwareOrderComparator.sort(advice);
            RemoteAdviceExceptionMapper adviceMapper = RemoteAdviceExceptionMapper.of(advice);
            if (adviceMapper != null) {
                builder.exceptionMapper(adviceMapper);
            }
        };
    }

    @Bean
    @Order(0)
    @Conditional(OnVirtualThreadsCondition.class)
    @ConditionalOnBean(annotation = RemoteEndpoint.class)
    VirtualThreadsServerCustomizer asyncRpcVirtualThreadsServerCustomizer() {
        return new VirtualThreadsServerCustomizer();
    }

    @Bean
    @Order(0)
    @ConditionalOnProperty(name = "asyncrpc.server.executor", havingValue = "application")
    @ConditionalOnBean(annotation = RemoteEndpoint.class)
    ApplicationExecutorServerCustomizer asyncRpcApplicationExecutorServerCustomizer(BeanFactory beanFactory) {
        return new ApplicationExecutorServerCustomizer(beanFactory);
    }

    /**
     * Matches {@code asyncrpc.server.executor=virtual}, and {@code auto} (the default) when Spring
     * Boot's virtual threads are active ({@code spring.threads.virtual.enabled=true}, Java 21+).
     */
    static final class OnVirtualThreadsCondition extends SpringBootCondition {

        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            AsyncRpcServerProperties.WorkerExecutor executor = Binder.get(context.getEnvironment())
                .bind("asyncrpc.server.executor", AsyncRpcServerProperties.WorkerExecutor.class)
                .orElse(AsyncRpcServerProperties.WorkerExecutor.AUTO);
            return switch (executor) {
                case VIRTUAL -> ConditionOutcome.match("asyncrpc.server.executor=virtual");
                case AUTO -> Threading.VIRTUAL.isActive(context.getEnvironment())
                        ? ConditionOutcome.match("asyncrpc.server.executor=auto and virtual threads are active")
                        : ConditionOutcome.noMatch("asyncrpc.server.executor=auto and virtual threads are not active");
                default -> ConditionOutcome.noMatch("asyncrpc.server.executor=" + executor.name().toLowerCase());
            };
        }
    }
}
