package dev.asyncrpc.spring.security;

import dev.asyncrpc.ServerCall;
import org.jspecify.annotations.Nullable;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;

/**
 * Authenticates the caller of one asyncrpc call from what the call carries. The default, when
 * Spring Security's resource-server support is configured (a {@code JwtDecoder} or an
 * {@code OpaqueTokenIntrospector} bean), reads the bearer token of the call's {@code authorization}
 * metadata entry and caches what it validated until the token expires. Define a bean of this type
 * for another scheme; it replaces the default.
 *
 * <p>Runs before the implementation, on the thread that dispatches the call, for every call that
 * is not refused earlier; it may block (it never runs on an event loop).
 */
@FunctionalInterface
public interface ServerCallAuthenticator {

    /**
     * Authenticate the caller.
     * @param call the call (service, operation, metadata, peer)
     * @return the caller's authenticated {@link Authentication}, or {@code null} when the call
     *         carries no credentials this authenticator reads (an anonymous caller)
     * @throws AuthenticationException when the call carries credentials that are not valid: the
     *         call fails with {@code UNAUTHENTICATED} and the exception's message, which therefore
     *         must never quote the credentials
     */
    @Nullable Authentication authenticate(ServerCall call) throws AuthenticationException;
}
