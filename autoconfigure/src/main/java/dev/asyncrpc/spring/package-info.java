/**
 * The Spring Boot face of asyncrpc: what an application writes.
 *
 * <p>Start with {@link dev.asyncrpc.spring.RemoteEndpoint} (expose an implementation) and
 * {@link dev.asyncrpc.spring.ImportRemoteServices} (inject clients of remote services). Addresses
 * come from {@code asyncrpc.client.services.<name>.address} or from
 * {@link dev.asyncrpc.spring.AsyncRpcConnectionDetails} beans;
 * {@link dev.asyncrpc.spring.AsyncRpcServerCustomizer} and
 * {@link dev.asyncrpc.spring.AsyncRpcClientCustomizer} adjust the core builders after the
 * properties. The auto-configurations below {@code dev.asyncrpc.spring.autoconfigure} are not API.
 */
@NullMarked
package dev.asyncrpc.spring;

import org.jspecify.annotations.NullMarked;
