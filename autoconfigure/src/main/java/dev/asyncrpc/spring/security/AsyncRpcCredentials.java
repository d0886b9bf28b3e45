package dev.asyncrpc.spring.security;

import java.util.Objects;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * Credentials an asyncrpc client sends with its calls: a bean of this type supplies bearer tokens
 * that change over time (the static {@code asyncrpc.client.*.auth.bearer-token} properties cover
 * the fixed case). A bean may answer for every service or only for some: it returns {@code null}
 * for a service it has nothing for, and the next bean in {@link org.springframework.core.annotation.Order
 * order}, then the defaults ({@code asyncrpc.client.defaults.auth.*}), are asked instead. The
 * per-service properties ({@code asyncrpc.client.services.<name>.auth.*}) win over every bean.
 *
 * <p>The token travels in the call's {@code authorization} metadata entry as {@code Bearer <token>}.
 * Unless {@code allow-plaintext} is set, a client refuses to send one without TLS to anything but a
 * loopback, {@code unix:} or {@code local:} address.
 */
@FunctionalInterface
public interface AsyncRpcCredentials {

    /**
     * The bearer token to send with the next call to {@code service}. Called on the calling thread
     * for every call, so it must be quick: fetch and renew tokens in the background, as the
     * OAuth2 client support does ({@code auth.oauth2-registration-id}).
     * @param service the name of the remote service called
     * @return the token, or {@code null} if this bean has none for {@code service}
     */
    @Nullable String bearerToken(String service);

    /**
     * Credentials for one service only.
     * @param service the service name
     * @param tokens supplies the current token (called for every call to that service)
     * @return credentials that answer {@code null} for every other service
     */
    static AsyncRpcCredentials forService(String service, Supplier<String> tokens) {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(tokens, "tokens");
        return (name) -> service.equals(name) ? tokens.get() : null;
    }
}
