/**
 * Tests of the auto-configurations, each with an {@code ApplicationContextRunner}. Start with
 * {@link dev.asyncrpc.spring.autoconfigure.AsyncRpcServerAutoConfigurationTests}; the contracts
 * they call are in {@code scan}, the endpoint that serves them is
 * {@link dev.asyncrpc.spring.autoconfigure.EchoEndpoint}.
 */
package dev.asyncrpc.spring.autoconfigure;
