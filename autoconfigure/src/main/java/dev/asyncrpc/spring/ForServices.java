package dev.asyncrpc.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Limits an interceptor bean ({@link dev.asyncrpc.ServerInterceptor} or
 * {@link dev.asyncrpc.ClientInterceptor}) to some remote services. Without it an interceptor bean
 * applies to every service. Put it on the bean's class or on its {@code @Bean} method:
 *
 * <pre>{@code
 * @Bean
 * @Order(10)
 * @ForServices("inventory")
 * ServerInterceptor inventoryAudit() { ... }
 * }</pre>
 *
 * A server interceptor that names a service the server does not serve fails the start with a message
 * that names it.
 */
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface ForServices {

    /**
     * The service names ({@code @RemoteService} values).
     * @return the service names
     */
    String[] value();
}
