package dev.asyncrpc.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.core.annotation.AliasFor;
import org.springframework.stereotype.Component;

/**
 * Marks a class as the implementation of one or more {@code @RemoteService} interfaces, to be
 * served by the application's asyncrpc server. A stereotype: the class is a component found by
 * component scanning (or declared as a {@code @Bean} whose type carries this annotation). The
 * server serves every {@code @RemoteService} interface the bean implements; when the context holds
 * no bean annotated {@code @RemoteEndpoint}, no server is started.
 *
 * <pre>{@code
 * @RemoteEndpoint
 * class InventoryEndpoint implements Inventory { ... }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Component
public @interface RemoteEndpoint {

    /**
     * The bean name, as for {@link Component#value()}.
     * @return the bean name, or empty for the default
     */
    @AliasFor(annotation = Component.class)
    String value() default "";
}
