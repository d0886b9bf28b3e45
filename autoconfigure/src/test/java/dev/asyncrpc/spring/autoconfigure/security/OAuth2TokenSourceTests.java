package dev.asyncrpc.spring.autoconfigure.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AccessToken;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** {@link OAuth2TokenSource} against a real Spring Authorization Server, and against failing managers. */
class OAuth2TokenSourceTests {

    private static TestAuthorizationServer server;

    @BeforeAll
    static void startAuthorizationServer() {
        server = TestAuthorizationServer.start(Duration.ofSeconds(4), "read");
    }

    @AfterAll
    static void stopAuthorizationServer() {
        server.close();
    }

    private static OAuth2AuthorizedClientManager manager(String tokenUri, String secret) {
        ClientRegistration registration = ClientRegistration.withRegistrationId("orders")
            .clientId(TestAuthorizationServer.CLIENT_ID)
            .clientSecret(secret)
            .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
            .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
            .tokenUri(tokenUri)
            .build();
        return OAuth2TokenSource.clientCredentialsManager(new InMemoryClientRegistrationRepository(registration));
    }

    @Test
    void fetchesATokenAndRenewsItBeforeItExpires() throws Exception {
        try (OAuth2TokenSource source = new OAuth2TokenSource(manager(server.tokenUri(), TestAuthorizationServer.CLIENT_SECRET), "orders",
                Duration.ofSeconds(20), Clock.systemUTC())) {
            source.prefetch();
            Set<String> seen = new LinkedHashSet<>();
            long end = System.nanoTime() + Duration.ofSeconds(9).toNanos();
            String first = source.get();
            seen.add(first);
            while (System.nanoTime() < end) {
                seen.add(source.get());
                Thread.sleep(50); // a steady caller: one call every 50 ms
            }
            // 4 s tokens renewed at 80% over 9 s of use: at least two renewals
            assertThat(seen).hasSizeGreaterThanOrEqualTo(3);
            assertThat(first.split("\\.")).as("a JWT").hasSize(3);
        }
    }

    @Test
    void aCallerWaitsOnlyWhenNoTokenIsThere() {
        AtomicInteger calls = new AtomicInteger();
        Instant now = Instant.now();
        OAuth2AuthorizedClientManager manager = (request) -> {
            calls.incrementAndGet();
            ClientRegistration registration = ClientRegistration.withRegistrationId("r").clientId("c")
                .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS).tokenUri("http://127.0.0.1:1/token").build();
            return new OAuth2AuthorizedClient(registration, "p",
                    new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, "t" + calls.get(), now, now.plus(Duration.ofHours(1))));
        };
        try (OAuth2TokenSource source = new OAuth2TokenSource(manager, "r", Duration.ofSeconds(20), Clock.systemUTC())) {
            assertThat(source.get()).isEqualTo("t1");
            for (int i = 0; i < 1000; i++) {
                assertThat(source.get()).isEqualTo("t1");
            }
            assertThat(calls).hasValue(1);
        }
    }

    @Test
    void aRefusedClientFailsWithTheServersErrorAndNoSecret() {
        try (OAuth2TokenSource source = new OAuth2TokenSource(manager(server.tokenUri(), "wrong-secret-77"), "orders",
                Duration.ofSeconds(20), Clock.systemUTC())) {
            assertThatIllegalStateException().isThrownBy(source::get).satisfies((ex) -> {
                System.out.println("refused client: " + ex.getMessage());
                assertThat(ex.getMessage()).contains("registration 'orders'").contains("invalid_client").doesNotContain("wrong-secret-77");
            });
        }
    }

    @Test
    void anUnreachableServerFailsWithinTheFetchTimeout() {
        long start = System.nanoTime();
        try (OAuth2TokenSource source = new OAuth2TokenSource((request) -> {
            try {
                Thread.sleep(30_000);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            return null;
        }, "slow", Duration.ofMillis(300), Clock.systemUTC())) {
            assertThatIllegalStateException().isThrownBy(source::get).withMessageContaining("within 300 ms");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }
}
