package dev.asyncrpc.spring.autoconfigure.security;

import java.time.Duration;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * A real Spring Authorization Server, started in the test on a free loopback port with one
 * client ({@code client_credentials} grant, {@code client_secret_basic}) whose access tokens are
 * RSA-signed JWTs that live for {@code tokenLifetime}; its keys are published at {@link #jwkSetUri()}.
 */
final class TestAuthorizationServer implements AutoCloseable {

    static final String CLIENT_ID = "orders-client";

    static final String CLIENT_SECRET = "orders-secret-4f1c9a";

    private final ConfigurableApplicationContext context;

    private final int port;

    private TestAuthorizationServer(ConfigurableApplicationContext context) {
        this.context = context;
        this.port = ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    static TestAuthorizationServer start(Duration tokenLifetime, String... scopes) {
        String client = "spring.security.oauth2.authorizationserver.client.orders.";
        ConfigurableApplicationContext context = new SpringApplicationBuilder(AuthorizationServerApplication.class)
            .web(WebApplicationType.SERVLET)
            .properties("server.port=0", "server.address=127.0.0.1", "spring.main.banner-mode=off",
                    "asyncrpc.server.enabled=false", "asyncrpc.client.enabled=false",
                    client + "registration.client-id=" + CLIENT_ID,
                    client + "registration.client-secret={noop}" + CLIENT_SECRET,
                    client + "registration.client-authentication-methods=client_secret_basic",
                    client + "registration.authorization-grant-types=client_credentials",
                    client + "registration.scopes=" + String.join(",", scopes),
                    client + "token.access-token-time-to-live=" + tokenLifetime.toMillis() + "ms")
            .run();
        return new TestAuthorizationServer(context);
    }

    String baseUri() {
        return "http://127.0.0.1:" + this.port;
    }

    String tokenUri() {
        return baseUri() + "/oauth2/token";
    }

    String jwkSetUri() {
        return baseUri() + "/oauth2/jwks";
    }

    /**
     * The properties of an OAuth2 client registration {@code id} for this server's client, asking
     * for the scope {@code read}.
     * @param id the registration id
     * @return the properties
     */
    String[] clientRegistration(String id) {
        String registration = "spring.security.oauth2.client.registration." + id + ".";
        return new String[] { registration + "client-id=" + CLIENT_ID, registration + "client-secret=" + CLIENT_SECRET,
                registration + "authorization-grant-type=client_credentials", registration + "client-authentication-method=client_secret_basic",
                registration + "provider=" + id, registration + "scope=read", "spring.security.oauth2.client.provider." + id + ".token-uri=" + tokenUri() };
    }

    @Override
    public void close() {
        this.context.close();
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class AuthorizationServerApplication {

    }
}
