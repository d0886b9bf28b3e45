package dev.asyncrpc;

/**
 * Thread-local state an interceptor makes current wherever the runtime runs code for one server
 * call: an MDC entry, a tracing span in scope, a security context. Attached with
 * {@link ServerInterceptor.Call#attach(CallContext)}; the runtime then opens it around the
 * implementation method, around every callback it runs for the call on other threads (pipe
 * callbacks and subscribers, {@link ServerCall#onCancel} and {@link ServerCall#onDisconnect} actions,
 * tasks run through {@link ServerCall#wrap(java.util.concurrent.Executor)}), and around the
 * outcome listeners. This is how an asynchronous implementation keeps its context after the method
 * returned: the runtime re-establishes it on each thread that works for the call.
 *
 * <p>{@link #open()} may run many times, on several threads at once; each {@link Scope} is closed on
 * the thread that opened it. Both must be quick and must not block.
 */
@FunctionalInterface
public interface CallContext {

    /**
     * Make this context current on the calling thread.
     * @return what restores the thread's previous state
     */
    Scope open();

    /** Restores what {@link CallContext#open()} changed; closed once, on the thread that opened it. */
    @FunctionalInterface
    interface Scope extends AutoCloseable {

        /** A scope that restores nothing. */
        Scope NOOP = () -> {
        };

        /** Restore the thread's previous state; never throws. */
        @Override
        void close();
    }
}
