package dev.asyncrpc.spring.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and tags the caller's observation of a call. A bean of this type replaces
 * {@link DefaultAsyncRpcClientObservationConvention}; extend that class to add to its tags.
 */
public interface AsyncRpcClientObservationConvention extends ObservationConvention<AsyncRpcClientObservationContext> {

    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof AsyncRpcClientObservationContext;
    }
}
