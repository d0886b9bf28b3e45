package dev.asyncrpc.spring.autoconfigure;

import java.time.Duration;

import dev.asyncrpc.AsyncRpcServer;
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

    /** Pipe window of the in-pipes this server receives: the bytes of one pipe's data a client may have sent before the server returns credit, which bounds the memory each pipe takes; one element may take at most half of it. */
    private DataSize pipeWindow = DataSize.ofMegabytes(1);

    /** Most calls in progress at once on one connection, announced to clients; more are refused with RESOURCE_EXHAUSTED (never run, safe to retry). Default: an eighth of max-calls-in-progress, at most 10000. */
    private @Nullable Integer maxConcurrentCalls;

    /** Most calls in progress on all connections together; more are refused with RESOURCE_EXHAUSTED (never run, safe to retry). Default: the maximum heap / 8KB, between 1024 and 1000000. */
    private @Nullable Integer maxCallsInProgress;

    /** Most threads of the worker pool that runs plain (blocking) implementations; it starts one per core, more only while calls wait for a thread, and queues calls beyond this many. */
    private int workerThreads = 64;

    /** How long an idle worker thread waits for work before it retires. */
    private Duration workerKeepAlive = Duration.ofSeconds(60);

    /** Most tasks of one connection (plain calls, batches of asynchronous calls) on the workers at once, with any executor; the rest wait their turn, so one connection cannot take every worker. Default: half of worker-threads. */
    private @Nullable Integer maxWorkersPerConnection;

    /** Netty event loop threads; 0 means Netty's default (twice the number of cores). */
    private int ioThreads = 0;

    /** Whether the server's event loops are the ones the application's clients share (the AsyncRpcResources bean, asyncrpc.resources.*) rather than its own; io-threads is then ignored. */
    private boolean sharedResources = false;

    /** Which threads run plain (blocking) implementations: auto, workers, virtual or application. */
    private WorkerExecutor executor = WorkerExecutor.AUTO;

    /** TLS: the SSL bundle with the server's certificate, and whether clients must present one. */
    private final Ssl ssl = new Ssl();

    /** Graceful shutdown: how long calls in progress may take when the server stops. */
    private final Shutdown shutdown = new Shutdown();

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

    public DataSize getPipeWindow() {
        return this.pipeWindow;
    }

    public void setPipeWindow(DataSize pipeWindow) {
        this.pipeWindow = Checks.frameSize("asyncrpc.server.pipe-window", pipeWindow);
    }

    public @Nullable Integer getMaxConcurrentCalls() {
        return this.maxConcurrentCalls;
    }

    public void setMaxConcurrentCalls(@Nullable Integer maxConcurrentCalls) {
        Checks.check(maxConcurrentCalls == null || maxConcurrentCalls > 0, "asyncrpc.server.max-concurrent-calls", maxConcurrentCalls, "> 0");
        this.maxConcurrentCalls = maxConcurrentCalls;
    }

    public @Nullable Integer getMaxCallsInProgress() {
        return this.maxCallsInProgress;
    }

    public void setMaxCallsInProgress(@Nullable Integer maxCallsInProgress) {
        Checks.check(maxCallsInProgress == null || maxCallsInProgress > 0, "asyncrpc.server.max-calls-in-progress", maxCallsInProgress, "> 0");
        this.maxCallsInProgress = maxCallsInProgress;
    }

    public Duration getWorkerKeepAlive() {
        return this.workerKeepAlive;
    }

    public void setWorkerKeepAlive(Duration workerKeepAlive) {
        Checks.check(workerKeepAlive != null && !workerKeepAlive.isNegative() && !workerKeepAlive.isZero(), "asyncrpc.server.worker-keep-alive",
                workerKeepAlive, "a duration > 0");
        this.workerKeepAlive = workerKeepAlive;
    }

    public @Nullable Integer getMaxWorkersPerConnection() {
        return this.maxWorkersPerConnection;
    }

    public void setMaxWorkersPerConnection(@Nullable Integer maxWorkersPerConnection) {
        Checks.check(maxWorkersPerConnection == null || maxWorkersPerConnection > 0, "asyncrpc.server.max-workers-per-connection",
                maxWorkersPerConnection, "> 0");
        this.maxWorkersPerConnection = maxWorkersPerConnection;
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

    public boolean isSharedResources() {
        return this.sharedResources;
    }

    public void setSharedResources(boolean sharedResources) {
        this.sharedResources = sharedResources;
    }

    public WorkerExecutor getExecutor() {
        return this.executor;
    }

    public void setExecutor(WorkerExecutor executor) {
        this.executor = executor;
    }

    public Ssl getSsl() {
        return this.ssl;
    }

    public Shutdown getShutdown() {
        return this.shutdown;
    }

    /** Which threads run plain (blocking) implementations. */
    public enum WorkerExecutor {

        /** Virtual threads when spring.threads.virtual.enabled=true on Java 21 or later, else the worker pool. */
        AUTO,

        /** The server's own pool of at most asyncrpc.server.worker-threads threads. */
        WORKERS,

        /** One virtual thread per call (Java 21 or later). */
        VIRTUAL,

        /** Spring Boot's applicationTaskExecutor bean (spring.task.execution.*), shared with the rest of the application. */
        APPLICATION
    }

    /** TLS settings of the server. */
    public static class Ssl {

        /** Name of the SSL bundle (spring.ssl.bundle.*) with the server's key and certificate, and the trust material for client certificates; plaintext when unset. */
        private @Nullable String bundle;

        /** Whether clients must present a certificate trusted by the bundle: none, want (asked, not required) or need. */
        private AsyncRpcServer.ClientAuth clientAuth = AsyncRpcServer.ClientAuth.NONE;

        public @Nullable String getBundle() {
            return this.bundle;
        }

        public void setBundle(@Nullable String bundle) {
            this.bundle = bundle;
        }

        public AsyncRpcServer.ClientAuth getClientAuth() {
            return this.clientAuth;
        }

        public void setClientAuth(AsyncRpcServer.ClientAuth clientAuth) {
            this.clientAuth = clientAuth;
        }
    }

    /** Graceful shutdown settings of the server. */
    public static class Shutdown {

        /** How long calls in progress may take to finish when the server stops (new calls are refused with NOT_DISPATCHED meanwhile); 0 closes at once. */
        private Duration gracePeriod = Duration.ofSeconds(30);

        public Duration getGracePeriod() {
            return this.gracePeriod;
        }

        public void setGracePeriod(Duration gracePeriod) {
            Checks.check(gracePeriod != null && !gracePeriod.isNegative(), "asyncrpc.server.shutdown.grace-period", gracePeriod,
                    "a duration of 0 or more");
            this.gracePeriod = gracePeriod;
        }
    }
}
