package dev.asyncrpc.spring.autoconfigure.security;

import java.time.Instant;

import dev.asyncrpc.ServerCall;
import dev.asyncrpc.spring.security.ServerCallAuthenticator;
import org.jspecify.annotations.Nullable;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.AbstractOAuth2Token;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.AbstractOAuth2TokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;

/**
 * The default {@link ServerCallAuthenticator}: the bearer token of a call's {@code authorization}
 * metadata entry, validated by Spring Security's resource-server {@link AuthenticationProvider}
 * (JWT or opaque-token introspection) and cached until it expires.
 */
final class BearerTokenAuthenticator implements ServerCallAuthenticator {

    private final AuthenticationProvider provider;

    private final TokenCache cache;

    BearerTokenAuthenticator(AuthenticationProvider provider, TokenCache cache) {
        this.provider = provider;
        this.cache = cache;
    }

    @Override
    public @Nullable Authentication authenticate(ServerCall call) {
        String token;
        try {
            token = BearerTokens.read(call.metadata());
        }
        catch (BearerTokens.MalformedTokenException ex) {
            throw new InvalidBearerTokenException(ex.getMessage());
        }
        if (token == null) {
            return null;
        }
        Authentication cached = this.cache.get(token);
        if (cached != null) {
            return cached;
        }
        Authentication result;
        try {
            result = this.provider.authenticate(new BearerTokenAuthenticationToken(token));
        }
        catch (AuthenticationException ex) {
            throw new InvalidBearerTokenException(BearerTokens.scrub(ex.getMessage(), token));
        }
        if (result == null || !result.isAuthenticated()) {
            throw new InvalidBearerTokenException("the bearer token was not accepted");
        }
        this.cache.put(token, result, expiresAt(result));
        return result;
    }

    private static @Nullable Instant expiresAt(Authentication authentication) {
        if (authentication instanceof AbstractOAuth2TokenAuthenticationToken<?> oauth2) {
            Object token = oauth2.getToken();
            return (token instanceof AbstractOAuth2Token t) ? t.getExpiresAt() : null;
        }
        return null;
    }
}
