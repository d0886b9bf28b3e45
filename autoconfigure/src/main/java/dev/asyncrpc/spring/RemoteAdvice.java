package dev.asyncrpc.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.core.annotation.AliasFor;
import org.springframework.stereotype.Component;

/**
 * Marks a bean whose {@link RemoteExceptionHandler} methods map the exceptions of every
 * {@link RemoteEndpoint} to the status and message callers receive: asyncrpc's
 * {@code @ControllerAdvice}. A stereotype, found by component scanning. Several advice beans are
 * asked in {@link org.springframework.core.annotation.Order order}; within one, the handler whose
 * exception type is closest to the thrown exception wins. An exception no handler takes keeps the
 * default mapping ({@code APPLICATION_ERROR} with its message, see {@link dev.asyncrpc.ServerExceptionMapper}).
 *
 * <pre>{@code
 * @RemoteAdvice
 * class RemoteErrors {
 *     @RemoteExceptionHandler
 *     RemoteCallException notFound(NoSuchElementException ex, ServerCall call) {
 *         return new RemoteCallException(Status.NOT_FOUND, call.operation() + ": " + ex.getMessage());
 *     }
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Component
public @interface RemoteAdvice {

    /**
     * The bean name, as for {@link Component#value()}.
     * @return the bean name, or empty for the default
     */
    @AliasFor(annotation = Component.class)
    String value() default "";
}
