/**
 * Micrometer Observation of asyncrpc calls: one observation per call on each side, named
 * {@code asyncrpc.client.requests} and {@code asyncrpc.server.requests}, whose trace context
 * travels in the call's metadata.
 *
 * <p>Start with {@link dev.asyncrpc.spring.observation.ObservationCallObserver}, the
 * {@link dev.asyncrpc.CallObserver} that opens and stops the caller's observations, and
 * {@link dev.asyncrpc.spring.observation.ObservationServerInterceptor}, the
 * {@link dev.asyncrpc.ServerInterceptor} that does it on the server and makes the observation
 * current while the implementation runs. What an observation is
 * called and tagged with comes from an
 * {@link dev.asyncrpc.spring.observation.AsyncRpcClientObservationConvention} or
 * {@link dev.asyncrpc.spring.observation.AsyncRpcServerObservationConvention}; the defaults
 * ({@code Default*}) are described by
 * {@link dev.asyncrpc.spring.observation.AsyncRpcObservationDocumentation}. Needs only
 * {@code micrometer-observation}: no Spring type appears here.
 */
@NullMarked
package dev.asyncrpc.spring.observation;

import org.jspecify.annotations.NullMarked;
