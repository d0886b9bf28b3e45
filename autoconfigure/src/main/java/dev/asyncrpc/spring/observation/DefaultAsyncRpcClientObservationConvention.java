package dev.asyncrpc.spring.observation;

import dev.asyncrpc.CallObserver.CallInfo;
import dev.asyncrpc.Status;
import io.micrometer.common.KeyValues;
import org.jspecify.annotations.Nullable;

import static dev.asyncrpc.spring.observation.AsyncRpcObservationDocumentation.LowCardinalityKeyNames.ASYNC;
import static dev.asyncrpc.spring.observation.AsyncRpcObservationDocumentation.LowCardinalityKeyNames.METHOD;
import static dev.asyncrpc.spring.observation.AsyncRpcObservationDocumentation.LowCardinalityKeyNames.SERVICE;
import static dev.asyncrpc.spring.observation.AsyncRpcObservationDocumentation.LowCardinalityKeyNames.STATUS;

/**
 * The caller's observation is named {@value #NAME}, its span {@code service/method}, and tagged
 * with service, method, status ({@code OK}, the failure's {@link Status}, or {@code UNKNOWN} while
 * the call runs) and async.
 */
public class DefaultAsyncRpcClientObservationConvention implements AsyncRpcClientObservationConvention {

    /** The name of the caller's observation (and of its timer). */
    public static final String NAME = "asyncrpc.client.requests";

    /** The status tag's value for a call that succeeded. */
    public static final String OK = "OK";

    /** The status tag's value while a call runs (seen on the {@code .active} long task timers). */
    public static final String UNKNOWN = "UNKNOWN";

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public String getContextualName(AsyncRpcClientObservationContext context) {
        return spanName(context.getCall());
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(AsyncRpcClientObservationContext context) {
        return tags(context.getCall(), context.isEnded(), context.getStatus());
    }

    static String spanName(CallInfo call) {
        return call.service() + "/" + call.operation();
    }

    static KeyValues tags(CallInfo call, boolean ended, @Nullable Status status) {
        String outcome = !ended ? UNKNOWN : (status != null) ? status.name() : OK;
        return KeyValues.of(SERVICE.withValue(call.service()), METHOD.withValue(call.operation()), STATUS.withValue(outcome),
                ASYNC.withValue(Boolean.toString(call.async())));
    }
}
