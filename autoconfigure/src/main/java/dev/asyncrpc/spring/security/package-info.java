/**
 * Security of asyncrpc calls with Spring Security: what an application may write or read.
 *
 * <p>Clients send bearer tokens from {@code asyncrpc.client.*.auth.*} properties, from an OAuth2
 * client registration, or from {@link dev.asyncrpc.spring.security.AsyncRpcCredentials} beans.
 * Servers authenticate each call when Spring Security's resource-server support is configured
 * (or a {@link dev.asyncrpc.spring.security.ServerCallAuthenticator} bean is defined), authorize
 * it with {@code asyncrpc.server.security.*} rules and {@code AuthorizationManager<ServerCall>}
 * beans, and run the implementation with the caller's {@code Authentication} in the
 * {@code SecurityContext}. A caller with a TLS client certificate and no token is a
 * {@link dev.asyncrpc.spring.security.ClientCertificateAuthentication}. See {@code docs/security.md}.
 */
@NullMarked
package dev.asyncrpc.spring.security;

import org.jspecify.annotations.NullMarked;
