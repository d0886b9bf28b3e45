/**
 * Auto-configuration of asyncrpc's Spring Security support (not API): the server interceptor that
 * authenticates and authorizes calls ({@code AsyncRpcServerSecurityAutoConfiguration}, start
 * reading at {@code CallSecurity}) and the client interceptor that sends bearer tokens
 * ({@code AsyncRpcClientSecurityAutoConfiguration}, start at {@code ClientCredentials}).
 */
@NullMarked
package dev.asyncrpc.spring.autoconfigure.security;

import org.jspecify.annotations.NullMarked;
