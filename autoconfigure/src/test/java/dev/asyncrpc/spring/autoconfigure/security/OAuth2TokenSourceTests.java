package dev.asyncrpc.spring.autoconfigure.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AccessToken;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** {@link OAuth2TokenSource} with managers made in the test (the real Spring Authorization Server is in {@link OAuth2ClientCredentialsTests}). */
class OAuth2TokenSourceTests {

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
