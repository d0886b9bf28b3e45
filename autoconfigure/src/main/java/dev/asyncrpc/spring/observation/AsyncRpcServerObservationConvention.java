package dev.asyncrpc.spring.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and tags the server's observation of a call. A bean of this type replaces
 * {@link DefaultAsyncRpcServerObservationConvention}; extend that class to add to its tags.
 */
public interface AsyncRpcServerObservationConvention extends ObservationConvention<AsyncRpcServerObservationContext> {

    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof AsyncRpcServerObservationContext;
    }
}
