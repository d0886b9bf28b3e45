package dev.asyncrpc.spring.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.beans.factory.annotation.Value;

/**
 * Injects the TCP port the asyncrpc server bound, for tests that start it on a real port
 * ({@code asyncrpc.server.port=0} picks a free one): the value of {@code local.asyncrpc.server.port},
 * published once the server runs. As Spring Boot's {@code @LocalServerPort}.
 *
 * <pre>{@code
 * @SpringBootTest(properties = "asyncrpc.server.port=0")
 * class PortTests {
 *     @LocalAsyncRpcPort int port;
 * }
 * }</pre>
 */
@Target({ ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Value("${local.asyncrpc.server.port}")
public @interface LocalAsyncRpcPort {

}
