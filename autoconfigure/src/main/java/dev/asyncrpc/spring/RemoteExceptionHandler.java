package dev.asyncrpc.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method of a {@link RemoteAdvice} bean that maps exceptions to a status and message.
 *
 * <p>Parameters, in any order: the exception (its type is the handled type when {@link #value()} is
 * empty) and optionally the {@link dev.asyncrpc.ServerCall}. Return types:
 * {@link dev.asyncrpc.RemoteCallException} (its status and description are sent),
 * {@link dev.asyncrpc.Status} (sent with the exception's message), or {@code null} from either to
 * leave the exception to the next handler and finally the default mapping. A handler that throws
 * is logged and skipped.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface RemoteExceptionHandler {

    /**
     * The exception types handled; empty for the type of the method's exception parameter.
     * @return the exception types
     */
    Class<? extends Throwable>[] value() default {};
}
