package dev.asyncrpc.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import dev.asyncrpc.spring.autoconfigure.RemoteServicesRegistrar;

import org.springframework.context.annotation.Import;

/**
 * Registers client beans for {@code @RemoteService} interfaces, so that they are injected like any
 * other bean. Each call on such a bean goes to the address of its service, set with
 * {@code asyncrpc.client.services.<service name>.address} (or supplied by an
 * {@link AsyncRpcConnectionDetails} bean); a service without an address fails start-up with a
 * message naming that property.
 *
 * <pre>{@code
 * @SpringBootApplication
 * @ImportRemoteServices(InventoryAsync.class)   // or basePackages = "com.example.clients"
 * class App { }
 * }</pre>
 *
 * When neither {@link #value()}, {@link #basePackages()} nor {@link #basePackageClasses()} is
 * given, the package of the annotated class is scanned. Interfaces that share a service name (a
 * plain and an asynchronous view of one service) share one client and connection.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Import(RemoteServicesRegistrar.class)
public @interface ImportRemoteServices {

    /**
     * The {@code @RemoteService} interfaces to register, each as one client bean.
     * @return the interfaces
     */
    Class<?>[] value() default {};

    /**
     * Packages to scan (with their sub-packages) for interfaces annotated {@code @RemoteService}.
     * @return the package names
     */
    String[] basePackages() default {};

    /**
     * Type-safe alternative to {@link #basePackages()}: the package of each class is scanned.
     * @return marker classes
     */
    Class<?>[] basePackageClasses() default {};
}
