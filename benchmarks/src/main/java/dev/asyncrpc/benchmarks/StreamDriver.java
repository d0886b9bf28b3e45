package dev.asyncrpc.benchmarks;

/**
 * One system under test for {@link StreamBenchmark}: a server and a client on 127.0.0.1, one
 * connection between them, a client-to-server stream whose receiver counts the bytes.
 * {@link #start()} before the first transfer, {@link #close()} when done.
 */
interface StreamDriver extends AutoCloseable {

    /** A short stable name used in the report ("asyncrpc", "grpc", "netty"). */
    String name();

    /** One line saying how the system is set up. */
    String description();

    /** Bind the server and build the client. */
    void start() throws Exception;

    /**
     * Stream {@code bytes} bytes from client to server in chunks of {@code chunk} bytes (the last
     * one shorter if need be), honouring the system's flow control, and wait until the server has
     * received them all.
     * @param data a chunk-sized array, sent as is and never modified (the last chunk may be a copy
     *        of its prefix)
     * @param bytes how many bytes to send
     * @param timeoutNanos how long the transfer may take at most
     * @return the number of bytes the server counted
     */
    long transfer(byte[] data, long bytes, long timeoutNanos) throws Exception;

    /** Close client and server; waits for their threads. */
    @Override
    void close();
}
