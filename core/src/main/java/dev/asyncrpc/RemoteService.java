package dev.asyncrpc;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a Java interface as a remote service contract. Each method is an operation, identified on
 * the wire by {@code value() + "/" + methodName}. Several interfaces may carry the same service
 * name: a caller's asynchronous view and an implementer's view of one service share the wire.
 * Overloaded method names are rejected when a proxy or a service is created.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface RemoteService {

    /**
     * The service name used on the wire, for example {@code "inventory"}.
     * @return the service name; must not be empty nor contain '/'
     */
    String value();
}
