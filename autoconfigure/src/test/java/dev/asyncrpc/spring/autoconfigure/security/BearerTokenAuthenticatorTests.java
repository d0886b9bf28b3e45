package dev.asyncrpc.spring.autoconfigure.security;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class BearerTokenAuthenticatorTests {

    private final TokenCacheTests.MutableClock clock = new TokenCacheTests.MutableClock();

    private final TokenCache cache = new TokenCache(100, Duration.ofMinutes(5), this.clock);

    /** The tokens the provider was asked to validate. */
    private final List<String> validated = new ArrayList<>();

    /** Accepts "good-*" tokens (valid for 30 s from now), refuses any other. */
    private final AuthenticationProvider provider = new AuthenticationProvider() {

        @Override
        public Authentication authenticate(Authentication authentication) {
            String token = ((BearerTokenAuthenticationToken) authentication).getToken();
            BearerTokenAuthenticatorTests.this.validated.add(token);
            if (!token.startsWith("good-")) {
                throw new InvalidBearerTokenException("bad signature on " + token);
            }
            Instant now = BearerTokenAuthenticatorTests.this.clock.instant();
            Jwt jwt = new Jwt(token, now, now.plusSeconds(30), Map.of("alg", "RS256"), Map.of("sub", "alice"));
            return new JwtAuthenticationToken(jwt, List.of());
        }

        @Override
        public boolean supports(Class<?> authentication) {
            return BearerTokenAuthenticationToken.class.isAssignableFrom(authentication);
        }
    };

    private final BearerTokenAuthenticator authenticator = new BearerTokenAuthenticator(this.provider, this.cache);

    @Test
    void validatesATokenOnceThenFindsItInTheCacheUntilItExpires() {
        Authentication first = this.authenticator.authenticate(call("Bearer good-1"));
        assertThat(first.getName()).isEqualTo("alice");
        for (int i = 0; i < 3; i++) {
            assertThat(this.authenticator.authenticate(call("Bearer good-1"))).isSameAs(first);
        }
        assertThat(this.validated).containsExactly("good-1");
        // the token's own expiry holds on a cache hit: it is validated again, not served stale
        this.clock.advance(Duration.ofSeconds(30));
        Authentication again = this.authenticator.authenticate(call("Bearer good-1"));
        assertThat(again).isNotSameAs(first);
        assertThat(this.validated).containsExactly("good-1", "good-1");
    }

    @Test
    void neverCachesARefusedToken() {
        for (int i = 0; i < 2; i++) {
            assertThatExceptionOfType(InvalidBearerTokenException.class)
                .isThrownBy(() -> this.authenticator.authenticate(call("Bearer forged-1")))
                .withMessageNotContaining("forged-1");
        }
        assertThat(this.validated).containsExactly("forged-1", "forged-1");
        assertThat(this.cache.size()).isZero();
    }

    @Test
    void neverCachesAMalformedEntryNorAsksTheProviderAboutIt() {
        for (String bad : List.of("Basic abc", "Bearer ", "Bearer a b")) {
            assertThatExceptionOfType(InvalidBearerTokenException.class).isThrownBy(() -> this.authenticator.authenticate(call(bad)));
        }
        assertThat(this.validated).isEmpty();
        assertThat(this.cache.size()).isZero();
    }

    @Test
    void aCallWithoutTheEntryIsAnonymous() {
        assertThat(this.authenticator.authenticate(new FakeCall("vault", "open"))).isNull();
        assertThat(this.validated).isEmpty();
    }

    @Test
    void differentTokensAreDifferentCallers() {
        Authentication one = this.authenticator.authenticate(call("Bearer good-1"));
        Authentication two = this.authenticator.authenticate(call("Bearer good-2"));
        assertThat(two).isNotSameAs(one);
        assertThat(((JwtAuthenticationToken) two).getToken().getTokenValue()).isEqualTo("good-2");
        assertThat(this.authenticator.authenticate(call("Bearer good-1"))).isSameAs(one);
    }

    @Test
    void aCallMayBeDecidedOnTheEventLoopOnlyWhenItsTokenIsCachedAndOnlyPropertyRulesAuthorize() {
        CallSecurity rulesOnly = new CallSecurity(this.authenticator, List.of(), List.of(new PropertyRules(List.of())), (status) -> { });
        assertThat(rulesOnly.decidesWithoutBlocking(new FakeCall("vault", "open"))).as("no token").isTrue();
        assertThat(rulesOnly.decidesWithoutBlocking(call("Bearer good-1"))).as("not validated yet").isFalse();
        this.authenticator.authenticate(call("Bearer good-1"));
        assertThat(rulesOnly.decidesWithoutBlocking(call("Bearer good-1"))).as("cached").isTrue();
        assertThat(rulesOnly.decidesWithoutBlocking(call("Bearer good-2"))).as("another token").isFalse();
        this.clock.advance(Duration.ofSeconds(30));
        assertThat(rulesOnly.decidesWithoutBlocking(call("Bearer good-1"))).as("expired").isFalse();
        this.authenticator.authenticate(call("Bearer good-1"));
        org.springframework.security.authorization.AuthorizationManager<dev.asyncrpc.ServerCall> users = (authentication, call) -> null;
        CallSecurity withUsersManager = new CallSecurity(this.authenticator, List.of(), List.of(users), (status) -> { });
        assertThat(withUsersManager.decidesWithoutBlocking(call("Bearer good-1"))).as("a manager of the user's may block").isFalse();
        CallSecurity usersAuthenticator = new CallSecurity((call) -> null, List.of(), List.of(), (status) -> { });
        assertThat(usersAuthenticator.decidesWithoutBlocking(call("Bearer good-1"))).as("an authenticator of the user's may block").isFalse();
        CallSecurity noAuthenticator = new CallSecurity(null, List.of(), List.of(), (status) -> { });
        assertThat(noAuthenticator.decidesWithoutBlocking(call("Bearer good-1"))).as("certificates only").isTrue();
    }

    private static FakeCall call(String authorization) {
        return new FakeCall("vault", "open").metadata("authorization", authorization);
    }
}
