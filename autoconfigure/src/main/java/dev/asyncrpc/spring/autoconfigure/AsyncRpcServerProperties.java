package dev.asyncrpc.spring.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the asyncrpc server, under {@code asyncrpc.server}. Each value is checked when it is
 * bound, so a bad one fails start-up with a message naming the property.
 */
@ConfigurationProperties("asyncrpc.server")
public class AsyncRpcServerProperties {

    /** Whether to start an asyncrpc server when the context holds @RemoteEndpoint beans. */
    private boolean enabled = true;

    /** TCP port the server listens on; 0 picks a free port, published as 'local.asyncrpc.server.port'. */
    private int port = 7443;

    /** Host name or IP address to bind to (all interfaces when unset), or 'unix:/path' for a Unix domain socket, or 'local:name' for an in-JVM server. */
    private @Nullable String address;

    /** Largest frame accepted from a client. */
    private DataSize maxFrameSize = DataSize.ofMegabytes(16);

    /** Most calls in progress at once on one connection; more are refused with RESOURCE_EXHAUSTED. */
    private int maxConcurrentCalls = 100_000;

    /** Threads of the worker pool that runs plain (blocking) implementations. */
    private int workerThreads = 64;

    /** Netty event loop threads; 0 means Netty's default (twice the number of cores). */
    private int ioThreads = 0;

    public boolean isEnabled() {
        return this.enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public int getPort() {
        return this.port;
    }

    public void setPort(int port) {
        Checks.check(port >= 0 && port <= 65535, "asyncrpc.server.port", port, "a port between 0 and 65535");
        this.port = port;
    }

    public @Nullable String getAddress() {
        return this.address;
    }

    public void setAddress(@Nullable String address) {
        this.address = address;
    }

    public DataSize getMaxFrameSize() {
        return this.maxFrameSize;
    }

    public void setMaxFrameSize(DataSize maxFrameSize) {
        this.maxFrameSize = Checks.frameSize("asyncrpc.server.max-frame-size", maxFrameSize);
    }

    public int getMaxConcurrentCalls() {
        return this.maxConcurrentCalls;
    }

    public void setMaxConcurrentCalls(int maxConcurrentCalls) {
        Checks.check(maxConcurrentCalls > 0, "asyncrpc.server.max-concurrent-calls", maxConcurrentCalls, "> 0");
        this.maxConcurrentCalls = maxConcurrentCalls;
    }

    public int getWorkerThreads() {
        return this.workerThreads;
    }

    public void setWorkerThreads(int workerThreads) {
        Checks.check(workerThreads > 0, "asyncrpc.server.worker-threads", workerThreads, "> 0");
        this.workerThreads = workerThreads;
    }

    public int getIoThreads() {
        return this.ioThreads;
    }

    public void setIoThreads(int ioThreads) {
        Checks.check(ioThreads >= 0, "asyncrpc.server.io-threads", ioThreads, ">= 0; 0 for Netty's default");
        this.ioThreads = ioThreads;
    }
}
