package dev.asyncrpc.spring.autoconfigure.security;

import java.util.function.Supplier;

import dev.asyncrpc.CallListener;
import dev.asyncrpc.ClientInterceptor;
import dev.asyncrpc.RemoteCallException;
import dev.asyncrpc.Status;
import org.jspecify.annotations.Nullable;

/**
 * Adds the bearer token of one service's client to each call's {@code authorization} metadata
 * entry, unless the call would carry it in plaintext to an address that leaves the machine and
 * that is not allowed: such a call fails with {@link Status#UNAUTHENTICATED} without being sent.
 * The call is over TLS when the properties say so or when the client was given TLS any other way
 * (a customizer calling {@code AsyncRpcClient.Builder.tls}): the interceptor asks the call.
 */
final class BearerTokenClientInterceptor implements ClientInterceptor {

    private final String service;

    private final Supplier<@Nullable String> tokens;

    private final boolean tls;

    private final boolean allowPlaintext;

    private final String allowProperty;

    /** The last token and its metadata value, so that a steady token is not concatenated per call. */
    private volatile @Nullable Encoded last;

    BearerTokenClientInterceptor(String service, Supplier<@Nullable String> tokens, boolean tls, boolean allowPlaintext,
            String allowProperty) {
        this.service = service;
        this.tokens = tokens;
        this.tls = tls;
        this.allowPlaintext = allowPlaintext;
        this.allowProperty = allowProperty;
    }

    @Override
    public @Nullable CallListener intercept(Call call) {
        String token;
        try {
            token = this.tokens.get();
        }
        catch (RuntimeException ex) {
            throw new RemoteCallException(Status.UNAUTHENTICATED, "no bearer token for service '" + this.service + "': " + ex.getMessage());
        }
        if (token == null) {
            return null;
        }
        if (!this.tls && !call.isTls() && !this.allowPlaintext && !PlaintextGuard.isLocal(call.address())) {
            throw new RemoteCallException(Status.UNAUTHENTICATED, "refusing to send the bearer token of service '" + this.service
                    + "' in plaintext to " + call.address() + ": call it over TLS (asyncrpc.client.services." + this.service
                    + ".ssl.bundle) or set " + this.allowProperty + "=true");
        }
        Encoded encoded = this.last;
        if (encoded == null || !encoded.token().equals(token)) {
            encoded = new Encoded(token, BearerTokens.value(token));
            this.last = encoded;
        }
        call.metadata().put(BearerTokens.METADATA_KEY, encoded.value());
        return null;
    }

    private record Encoded(String token, String value) {

        @Override
        public String toString() {
            return "a bearer token"; // never the token itself
        }
    }
}
