package dev.asyncrpc.spring.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;

/**
 * Serves the test context's {@code @RemoteEndpoint}s over asyncrpc's in-JVM transport and points
 * the context's imported clients of those services at them: calls go through the whole runtime
 * (encoding, dispatch, interceptors, pipes), but no TCP port is opened. Clients of services the
 * context does not serve keep their configured addresses.
 *
 * <pre>{@code
 * @SpringBootTest
 * @AutoConfigureInProcessAsyncRpc
 * class GreeterTests {
 *     @Autowired Greeter greeter;   // an imported client, answered by the context's endpoint
 * }
 * }</pre>
 *
 * The auto-configuration this imports is listed in
 * {@code META-INF/spring/dev.asyncrpc.spring.test.AutoConfigureInProcessAsyncRpc.imports}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ImportAutoConfiguration
public @interface AutoConfigureInProcessAsyncRpc {

}
