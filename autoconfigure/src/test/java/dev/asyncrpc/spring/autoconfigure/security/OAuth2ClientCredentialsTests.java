package dev.asyncrpc.spring.autoconfigure.security;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.asyncrpc.spring.ImportRemoteServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Issue 13, acceptance 4 and 5: a client configured with {@code spring.security.oauth2.client.registration.*}
 * gets its tokens from a real Spring Authorization Server started in the test, and calls a server that
 * validates them against the authorization server's keys ({@code jwk-set-uri}) and requires their
 * scope {@code read} (a rule on authorities). Tokens live 4 s, so
 * calls over 10 s cross at least two renewals; none fails, and no token is ever printed.
 */
@ExtendWith(OutputCaptureExtension.class)
class OAuth2ClientCredentialsTests {

    private static TestAuthorizationServer authorizationServer;

    private static ConfigurableApplicationContext context;

    @BeforeAll
    static void start() {
        authorizationServer = TestAuthorizationServer.start(Duration.ofSeconds(4), "read");
        List<String> properties = new ArrayList<>(List.of("spring.main.banner-mode=off", "asyncrpc.server.port=0",
                "asyncrpc.server.address=127.0.0.1",
                "spring.security.oauth2.resourceserver.jwt.jwk-set-uri=" + authorizationServer.jwkSetUri(),
                "asyncrpc.client.services.vault.address=${local.asyncrpc.server.address}",
                "asyncrpc.client.services.vault.auth.oauth2-registration-id=orders",
                "asyncrpc.server.security.rules[0].operations=vault/*", "asyncrpc.server.security.rules[0].authorities=SCOPE_read"));
        properties.addAll(List.of(authorizationServer.clientRegistration("orders")));
        context = new SpringApplicationBuilder(ClientCredentialsApplication.class).web(WebApplicationType.NONE)
            .properties(properties.toArray(String[]::new))
            .run();
    }

    @AfterAll
    static void stop() {
        if (context != null) {
            context.close();
        }
        if (authorizationServer != null) {
            authorizationServer.close();
        }
    }

    @Test
    void callsKeepSucceedingAcrossTokenRenewals(CapturedOutput output) throws Exception {
        Vault vault = context.getBean(Vault.class);
        OAuth2ClientTokens tokens = context.getBean(OAuth2ClientTokens.class);
        int calls = 0;
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < end) {
            assertThat(vault.whoami()).isEqualTo("principal=" + TestAuthorizationServer.CLIENT_ID + " context=" + TestAuthorizationServer.CLIENT_ID);
            calls++;
            Thread.sleep(20);
        }
        System.out.println(calls + " calls, " + tokens.fetched("orders") + " tokens fetched");
        assertThat(tokens.fetched("orders")).as("tokens fetched: the first and at least two renewals").isGreaterThanOrEqualTo(3);
        assertThat(calls).as("more calls than tokens: tokens are reused until renewal").isGreaterThan(tokens.fetched("orders"));
        assertThat(output.getAll()).doesNotContain(TestAuthorizationServer.CLIENT_SECRET).doesNotContain("eyJ");
    }

    @Test
    void aRefusedClientFailsWithTheAuthorizationServersErrorAndNoSecret() {
        ClientRegistration registration = ClientRegistration.withRegistrationId("orders")
            .clientId(TestAuthorizationServer.CLIENT_ID)
            .clientSecret("wrong-secret-77")
            .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
            .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
            .tokenUri(authorizationServer.tokenUri())
            .build();
        OAuth2AuthorizedClientManager manager = OAuth2TokenSource.clientCredentialsManager(new InMemoryClientRegistrationRepository(registration));
        try (OAuth2TokenSource source = new OAuth2TokenSource(manager, "orders", Duration.ofSeconds(20), Clock.systemUTC())) {
            assertThatIllegalStateException().isThrownBy(source::get).satisfies((ex) -> {
                System.out.println("refused client: " + ex.getMessage());
                assertThat(ex.getMessage()).contains("registration 'orders'").contains("invalid_client").doesNotContain("wrong-secret-77");
            });
        }
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @ImportRemoteServices(Vault.class)
    @Import(VaultEndpoint.class)
    static class ClientCredentialsApplication {

    }
}
