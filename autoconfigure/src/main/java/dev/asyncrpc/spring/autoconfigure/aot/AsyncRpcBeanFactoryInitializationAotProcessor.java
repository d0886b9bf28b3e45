package dev.asyncrpc.spring.autoconfigure.aot;

import java.lang.reflect.Method;
import java.util.LinkedHashSet;
import java.util.Set;

import dev.asyncrpc.spring.RemoteAdvice;
import dev.asyncrpc.spring.RemoteEndpoint;
import dev.asyncrpc.spring.RemoteExceptionHandler;
import org.jspecify.annotations.Nullable;

import org.springframework.aot.generate.GenerationContext;
import org.springframework.beans.factory.FactoryBean;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotContribution;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotProcessor;
import org.springframework.beans.factory.aot.BeanFactoryInitializationCode;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ReflectionUtils;

/**
 * At build time (Spring AOT), finds the context's imported clients (bean definitions carrying a
 * {@code @RemoteService} interface as their factory's object type), its {@link RemoteEndpoint}
 * beans and its {@link RemoteAdvice} beans, and contributes their {@link AsyncRpcRuntimeHints}.
 * Registered in {@code META-INF/spring/aot.factories}.
 */
final class AsyncRpcBeanFactoryInitializationAotProcessor implements BeanFactoryInitializationAotProcessor {

    private static final String CLIENT_FACTORY = "dev.asyncrpc.spring.autoconfigure.RemoteServiceFactoryBean";

    @Override
    public @Nullable BeanFactoryInitializationAotContribution processAheadOfTime(ConfigurableListableBeanFactory beanFactory) {
        Set<Class<?>> clients = new LinkedHashSet<>();
        Set<Class<?>> endpoints = new LinkedHashSet<>();
        Set<Method> handlers = new LinkedHashSet<>();
        for (String name : beanFactory.getBeanDefinitionNames()) {
            BeanDefinition definition = beanFactory.getBeanDefinition(name);
            if (CLIENT_FACTORY.equals(definition.getBeanClassName())
                    && definition.getAttribute(FactoryBean.OBJECT_TYPE_ATTRIBUTE) instanceof Class<?> type) {
                clients.add(type);
            }
        }
        for (String name : beanFactory.getBeanNamesForAnnotation(RemoteEndpoint.class)) {
            Class<?> type = beanFactory.getType(name, false);
            if (type != null) {
                endpoints.add(type);
            }
        }
        for (String name : beanFactory.getBeanNamesForAnnotation(RemoteAdvice.class)) {
            Class<?> type = beanFactory.getType(name, false);
            if (type != null) {
                handlers.addAll(MethodIntrospector.selectMethods(type,
                        (ReflectionUtils.MethodFilter) (m) -> AnnotatedElementUtils.hasAnnotation(m, RemoteExceptionHandler.class)));
            }
        }
        if (clients.isEmpty() && endpoints.isEmpty() && handlers.isEmpty()) {
            return null;
        }
        return new Contribution(clients, endpoints, handlers);
    }

    private record Contribution(Set<Class<?>> clients, Set<Class<?>> endpoints, Set<Method> handlers)
            implements BeanFactoryInitializationAotContribution {

        @Override
        public void applyTo(GenerationContext generationContext, BeanFactoryInitializationCode code) {
            AsyncRpcRuntimeHints hints = new AsyncRpcRuntimeHints();
            this.clients.forEach((type) -> hints.registerClient(type, generationContext.getRuntimeHints()));
            this.endpoints.forEach((type) -> hints.registerEndpoint(type, generationContext.getRuntimeHints()));
            this.handlers.forEach((method) -> hints.registerInvoked(method, generationContext.getRuntimeHints()));
        }
    }
}
