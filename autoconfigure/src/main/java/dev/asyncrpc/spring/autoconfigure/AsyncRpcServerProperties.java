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

    /** Most worker threads parked at once: a worker whose plain implementation waits for pipe data no client has sent yet is replaced by another thread while it waits; a wait beyond this many fails its call with RESOURCE_EXHAUSTED. */
    private int maxParkedWorkers = 256;

    /** How long an idle worker thread waits for work before it retires. */
    private Duration workerKeepAlive = Duration.ofSeconds(60);

    /** Most tasks of one connection (plain calls, batches of asynchronous calls) on the workers at once, with any executor; the rest wait their turn, so one connection cannot take every worker. Default: half of worker-threads. */
    private @Nullable Integer maxWorkersPerConnection;

    /** Adaptive inline dispatch: small calls of asynchronous implementations run on the event loop once warmed up; an operation with 3 invocations slower than this within 128 goes back to the workers (logged at WARN), and runs inline again after 4096 invocations in a row within it there; the third demotion is for good. 0 turns inline dispatch off. */
    private Duration inlineDispatchLimit = Duration.ofNanos(500000);

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

    /** Most connections open at once; a client connecting beyond it gets a GOAWAY (RESOURCE_EXHAUSTED) and is closed. */
    private int maxConnections = 10_000;

    /** Server-wide budget of bytes held for clients (incomplete frames, call arguments not yet decoded, in-pipe data not yet read); calls over it are refused with RESOURCE_EXHAUSTED, and while it is exhausted pipes holding unread data return no credit. Default when unset: a quarter of the smaller of the maximum heap and the maximum direct memory, at least 8MB. */
    private @Nullable DataSize memoryBudget;

    /** How long a new connection may take to send its HELLO. */
    private Duration handshakeTimeout = Duration.ofSeconds(10);

    /** How long a frame may take to arrive once its first bytes have; the connection is then closed and the frame's memory released. 0 for no limit. */
    private Duration frameReadTimeout = Duration.ofSeconds(30);

    /** How long a connection with no call in progress (and no frame other than PING/PONG) stays open before the server closes it with a GOAWAY; 0 for no limit. */
    private Duration idleTimeout = Duration.ofMinutes(30);

    /** Outbound data limits of each connection. */
    private final WriteBuffer writeBuffer = new WriteBuffer();

    /** Keepalive: how dead or paused clients are detected. */
    private final Keepalive keepalive = new Keepalive();

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

    public Duration getInlineDispatchLimit() {
        return this.inlineDispatchLimit;
    }

    public void setInlineDispatchLimit(Duration inlineDispatchLimit) {
        Checks.check(inlineDispatchLimit != null && !inlineDispatchLimit.isNegative(), "asyncrpc.server.inline-dispatch-limit",
                inlineDispatchLimit, "a duration >= 0 (0 turns inline dispatch off)");
        this.inlineDispatchLimit = inlineDispatchLimit;
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

    public int getMaxParkedWorkers() {
        return this.maxParkedWorkers;
    }

    public void setMaxParkedWorkers(int maxParkedWorkers) {
        Checks.check(maxParkedWorkers > 0, "asyncrpc.server.max-parked-workers", maxParkedWorkers, "> 0");
        this.maxParkedWorkers = maxParkedWorkers;
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

    public int getMaxConnections() {
        return this.maxConnections;
    }

    public void setMaxConnections(int maxConnections) {
        Checks.check(maxConnections > 0, "asyncrpc.server.max-connections", maxConnections, "> 0");
        this.maxConnections = maxConnections;
    }

    public @Nullable DataSize getMemoryBudget() {
        return this.memoryBudget;
    }

    public void setMemoryBudget(@Nullable DataSize memoryBudget) {
        Checks.check(memoryBudget == null || memoryBudget.toBytes() > 0, "asyncrpc.server.memory-budget", memoryBudget, "a positive size, or unset for the default");
        this.memoryBudget = memoryBudget;
    }

    public Duration getHandshakeTimeout() {
        return this.handshakeTimeout;
    }

    public void setHandshakeTimeout(Duration handshakeTimeout) {
        this.handshakeTimeout = Checks.positive("asyncrpc.server.handshake-timeout", handshakeTimeout);
    }

    public Duration getFrameReadTimeout() {
        return this.frameReadTimeout;
    }

    public void setFrameReadTimeout(Duration frameReadTimeout) {
        this.frameReadTimeout = Checks.nonNegative("asyncrpc.server.frame-read-timeout", frameReadTimeout);
    }

    public Duration getIdleTimeout() {
        return this.idleTimeout;
    }

    public void setIdleTimeout(Duration idleTimeout) {
        this.idleTimeout = Checks.nonNegative("asyncrpc.server.idle-timeout", idleTimeout);
    }

    public WriteBuffer getWriteBuffer() {
        return this.writeBuffer;
    }

    public Keepalive getKeepalive() {
        return this.keepalive;
    }

    /** Outbound data limits of each connection of the server. */
    public static class WriteBuffer {

        /** Outbound bytes queued on a connection below which a connection paused by the high water mark reads again. */
        private DataSize lowWaterMark = DataSize.ofKilobytes(512);

        /** Outbound bytes queued on a connection above which it stops reading from the peer (and a client holds back new calls). */
        private DataSize highWaterMark = DataSize.ofMegabytes(1);

        /** How long the peer may leave the data queued for it above the high water mark unread before the connection is closed; 0 for no limit. */
        private Duration stallTimeout = Duration.ofSeconds(30);

        public DataSize getLowWaterMark() {
            return this.lowWaterMark;
        }

        public void setLowWaterMark(DataSize lowWaterMark) {
            Checks.check(lowWaterMark != null && lowWaterMark.toBytes() > 0 && lowWaterMark.toBytes() <= Integer.MAX_VALUE,
                    "asyncrpc.server.write-buffer.low-water-mark", lowWaterMark, "a positive size below 2GB");
            this.lowWaterMark = lowWaterMark;
        }

        public DataSize getHighWaterMark() {
            return this.highWaterMark;
        }

        public void setHighWaterMark(DataSize highWaterMark) {
            Checks.check(highWaterMark != null && highWaterMark.toBytes() > 0 && highWaterMark.toBytes() <= Integer.MAX_VALUE,
                    "asyncrpc.server.write-buffer.high-water-mark", highWaterMark, "a positive size below 2GB");
            this.highWaterMark = highWaterMark;
        }

        public Duration getStallTimeout() {
            return this.stallTimeout;
        }

        public void setStallTimeout(Duration stallTimeout) {
            this.stallTimeout = Checks.nonNegative("asyncrpc.server.write-buffer.stall-timeout", stallTimeout);
        }

        /** Both marks, checked against each other. */
        int[] marks() {
            Checks.check(this.highWaterMark.compareTo(this.lowWaterMark) >= 0, "asyncrpc.server.write-buffer.high-water-mark", this.highWaterMark,
                    "at least " + "asyncrpc.server.write-buffer.low-water-mark (" + this.lowWaterMark + ")");
            return new int[] { (int) this.lowWaterMark.toBytes(), (int) this.highWaterMark.toBytes() };
        }
    }

    /** Keepalive: after 'interval' without receiving anything from the peer a PING is sent; with no answer within 'timeout' the connection is closed. */
    public static class Keepalive {

        /** Silence from the peer after which a PING is sent; 0 turns keepalive off. */
        private Duration interval = Duration.ofSeconds(30);

        /** How long after that PING the peer has to answer before the connection is closed (a dead peer is detected within interval + timeout). */
        private Duration timeout = Duration.ofSeconds(10);

        public Duration getInterval() {
            return this.interval;
        }

        public void setInterval(Duration interval) {
            this.interval = Checks.nonNegative("asyncrpc.server.keepalive.interval", interval);
        }

        public Duration getTimeout() {
            return this.timeout;
        }

        public void setTimeout(Duration timeout) {
            this.timeout = Checks.positive("asyncrpc.server.keepalive.timeout", timeout);
        }
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
