/**
 * Auto-configuration for asyncrpc; not API. Start with
 * {@link dev.asyncrpc.spring.autoconfigure.AsyncRpcServerAutoConfiguration} (the server, a
 * {@link org.springframework.context.SmartLifecycle}, serving {@code @RemoteEndpoint} beans) and
 * {@link dev.asyncrpc.spring.autoconfigure.AsyncRpcClientAutoConfiguration} (one client per
 * remote service, behind the beans that {@code @ImportRemoteServices} registers). Their settings
 * are {@link dev.asyncrpc.spring.autoconfigure.AsyncRpcServerProperties} and
 * {@link dev.asyncrpc.spring.autoconfigure.AsyncRpcClientProperties}.
 */
@NullMarked
package dev.asyncrpc.spring.autoconfigure;

import org.jspecify.annotations.NullMarked;
