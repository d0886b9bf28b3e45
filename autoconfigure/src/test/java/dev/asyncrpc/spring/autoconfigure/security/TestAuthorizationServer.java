package dev.asyncrpc.spring.autoconfigure.security;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    private static final Pattern ACCESS_TOKEN = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");

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

    String introspectionUri() {
        return baseUri() + "/oauth2/introspect";
    }

    /**
     * An access token for this server's client, fetched over HTTP (client-credentials grant).
     * @param scope the scope to ask for
     * @return the token
     */
    String accessToken(String scope) throws Exception {
        String basic = Base64.getEncoder().encodeToString((CLIENT_ID + ":" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create(tokenUri()))
            .header("Authorization", "Basic " + basic)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=" + scope))
            .build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("the token endpoint answered " + response.statusCode());
        }
        Matcher token = ACCESS_TOKEN.matcher(response.body());
        if (!token.find()) {
            throw new IllegalStateException("the token endpoint's answer has no access_token");
        }
        return token.group(1);
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
