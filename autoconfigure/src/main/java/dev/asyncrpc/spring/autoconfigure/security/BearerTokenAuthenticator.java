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
 * (JWT or opaque-token introspection) and cached until it expires. The cache is keyed by the
 * metadata value as received ({@code Bearer <token>}), so a cached caller's call costs one lookup
 * and an expiry check; only tokens the provider accepted are cached.
 */
final class BearerTokenAuthenticator implements ServerCallAuthenticator {

    private final AuthenticationProvider provider;

    private final TokenCache cache;

    BearerTokenAuthenticator(AuthenticationProvider provider, TokenCache cache) {
        this.provider = provider;
        this.cache = cache;
    }

    /** Whether authenticating {@code call} needs no validation: it carries no token, or a cached unexpired one. */
    boolean isCached(ServerCall call) {
        String value = call.metadata().get(BearerTokens.METADATA_KEY);
        return value == null || this.cache.get(value) != null;
    }

    @Override
    public @Nullable Authentication authenticate(ServerCall call) {
        String value = call.metadata().get(BearerTokens.METADATA_KEY);
        if (value == null) {
            return null;
        }
        // keyed by the metadata value as received: a steady caller's hit is one lookup, no parsing
        Authentication cached = this.cache.get(value);
        if (cached != null) {
            return cached;
        }
        String token;
        try {
            token = BearerTokens.parse(value);
        }
        catch (BearerTokens.MalformedTokenException ex) {
            throw new InvalidBearerTokenException(ex.getMessage());
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
        this.cache.put(value, result, expiresAt(result));
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
