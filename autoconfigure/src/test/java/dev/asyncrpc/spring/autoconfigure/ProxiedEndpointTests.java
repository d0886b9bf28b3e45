package dev.asyncrpc.spring.autoconfigure;

import java.util.concurrent.atomic.AtomicInteger;

import dev.asyncrpc.AsyncRpcClient;
import dev.asyncrpc.spring.RemoteEndpoint;
import dev.asyncrpc.spring.autoconfigure.scan.Echo;
import org.aopalliance.intercept.MethodInterceptor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.aop.framework.ProxyFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.annotation.AnnotationUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Endpoints wrapped in an AOP proxy, as {@code @Transactional} or {@code @Validated} wrap them: the
 * server finds their contracts through the proxy (a CGLIB subclass, or a JDK proxy of the
 * interfaces) and calls go through the advice.
 */
class ProxiedEndpointTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AsyncRpcServerAutoConfiguration.class))
        .withBean(EchoEndpoint.class)
        .withPropertyValues("asyncrpc.server.port=0", "asyncrpc.server.address=127.0.0.1");

    @ParameterizedTest(name = "proxyTargetClass={0}")
    @ValueSource(booleans = { true, false })
    void endpointsBehindAnAopProxyAreServedThroughTheProxy(boolean proxyTargetClass) {
        AtomicInteger advised = new AtomicInteger();
        BeanPostProcessor proxying = new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (AnnotationUtils.findAnnotation(bean.getClass(), RemoteEndpoint.class) == null) {
                    return bean;
                }
                ProxyFactory factory = new ProxyFactory(bean);
                factory.setProxyTargetClass(proxyTargetClass);
                factory.addAdvice((MethodInterceptor) (invocation) -> {
                    advised.incrementAndGet();
                    return invocation.proceed();
                });
                return factory.getProxy();
            }
        };
        this.runner.withBean(BeanPostProcessor.class, () -> proxying).run((context) -> {
            assertThat(context.getBeansWithAnnotation(RemoteEndpoint.class)).hasSize(1);
            Object endpoint = context.getBeansWithAnnotation(RemoteEndpoint.class).values().iterator().next();
            assertThat(proxyTargetClass ? AopUtils.isCglibProxy(endpoint) : AopUtils.isJdkDynamicProxy(endpoint)).isTrue();
            AsyncRpcServerLifecycle lifecycle = context.getBean(AsyncRpcServerLifecycle.class);
            assertThat(lifecycle.getServer().services()).containsExactly("echo");
            try (AsyncRpcClient client = AsyncRpcClient.builder().address(lifecycle.getServer().address()).build()) {
                assertThat(client.proxy(Echo.class).echo("through the proxy")).isEqualTo("echo: through the proxy");
            }
            assertThat(advised).as("calls go through the advice").hasValue(1);
        });
    }
}
