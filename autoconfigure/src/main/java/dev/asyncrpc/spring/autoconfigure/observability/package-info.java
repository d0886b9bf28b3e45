/**
 * Auto-configuration that makes asyncrpc observable; not API. One auto-configuration per concern,
 * each active only when its library is on the classpath:
 * {@link dev.asyncrpc.spring.autoconfigure.observability.AsyncRpcObservationAutoConfiguration}
 * (a Micrometer observation per call, with trace context in the call metadata),
 * {@link dev.asyncrpc.spring.autoconfigure.observability.AsyncRpcMetricsAutoConfiguration}
 * (gauges and counters), {@link dev.asyncrpc.spring.autoconfigure.observability.AsyncRpcHealthAutoConfiguration}
 * (the {@code asyncrpc} health contributor and its place in the readiness group) and
 * {@link dev.asyncrpc.spring.autoconfigure.observability.AsyncRpcEndpointAutoConfiguration} (the
 * {@code asyncrpc} Actuator endpoint). They reach the server and the clients through
 * {@link dev.asyncrpc.CallObserver} beans, which the server and client auto-configurations apply,
 * and through the read-only views of the core runtime. Settings:
 * {@link dev.asyncrpc.spring.autoconfigure.observability.AsyncRpcObservabilityProperties}.
 */
@NullMarked
package dev.asyncrpc.spring.autoconfigure.observability;

import org.jspecify.annotations.NullMarked;
