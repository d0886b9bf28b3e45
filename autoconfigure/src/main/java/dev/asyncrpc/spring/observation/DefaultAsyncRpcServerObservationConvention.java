package dev.asyncrpc.spring.observation;

import dev.asyncrpc.Status;
import io.micrometer.common.KeyValues;

/**
 * The server's observation is named {@value #NAME}, its span {@code service/method}, and tagged
 * with service, method, status ({@code OK}, the failure's {@link Status}, or {@code UNKNOWN} while
 * the call runs) and async.
 */
public class DefaultAsyncRpcServerObservationConvention implements AsyncRpcServerObservationConvention {

    /** The name of the server's observation (and of its timer). */
    public static final String NAME = "asyncrpc.server.requests";

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public String getContextualName(AsyncRpcServerObservationContext context) {
        return DefaultAsyncRpcClientObservationConvention.spanName(context.getCall());
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(AsyncRpcServerObservationContext context) {
        return DefaultAsyncRpcClientObservationConvention.tags(context.getCall(), context.isEnded(), context.getStatus());
    }
}
