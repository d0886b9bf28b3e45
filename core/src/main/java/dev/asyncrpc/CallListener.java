package dev.asyncrpc;

/**
 * Told how one intercepted call ended: returned by {@link ServerInterceptor#intercept} and
 * {@link ClientInterceptor#intercept}. Called once, on the thread that completes the call (on the
 * server with the call's {@link CallContext}s current); must be quick and must not throw (the
 * runtime logs and ignores a failing listener).
 */
@FunctionalInterface
public interface CallListener {

    /**
     * The call ended.
     * @param status {@code null} when the call succeeded, else why it failed
     * @param message the failure's message as the caller receives it, {@code null} on success
     */
    void onComplete(Status status, String message);
}
