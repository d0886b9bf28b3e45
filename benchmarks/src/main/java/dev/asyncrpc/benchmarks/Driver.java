package dev.asyncrpc.benchmarks;

/**
 * One system under test: a server and a client on 127.0.0.1, one connection between them, an echo
 * operation. {@link #start()} before the first call, {@link #close()} when done.
 */
interface Driver extends AutoCloseable {

    /** What a call reports when it ends, exactly once, on whatever thread the system completes it. */
    @FunctionalInterface
    interface Callback {

        /**
         * @param reply the echoed bytes, or null on failure
         * @param error the failure, or null
         */
        void done(byte[] reply, Throwable error);
    }

    /** A short stable name used in the report ("asyncrpc", "grpc-direct", ...). */
    String name();

    /** One line saying how the system is set up (executors, transport). */
    String description();

    /** Bind the server and build the client. */
    void start() throws Exception;

    /**
     * Issue one echo call without blocking. The payload is not modified and may be shared between
     * calls.
     */
    void call(byte[] payload, Callback callback);

    /**
     * Whether {@link #call} blocks until the call ends (a plain caller), completing the callback
     * on the issuing thread: such a driver is measured at W=1 only.
     */
    default boolean blocking() {
        return false;
    }

    /** Close client and server; waits for their threads. */
    @Override
    void close();
}
