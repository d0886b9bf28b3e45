package dev.asyncrpc;

import java.time.Duration;

/**
 * A read-only view of one call a client has issued and whose connection still holds it: waiting to
 * be sent, or sent and not answered yet. It carries no argument values.
 *
 * @param service the service name
 * @param operation the operation name
 * @param age how long ago the call was issued
 * @param state {@link CallState#PENDING}, or the final state of a call the caller stopped waiting
 *        for (an abortive cancel, a passed deadline) while its server has not answered yet
 */
public record PendingCallInfo(String service, String operation, Duration age, CallState state) {
}
