package dev.asyncrpc;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;

import dev.asyncrpc.internal.protocol.Settings;
import dev.asyncrpc.internal.server.ServerBudgets;
import dev.asyncrpc.internal.server.ServerRuntime;
import dev.asyncrpc.internal.transport.ConnectionOptions;
import dev.asyncrpc.internal.transport.Endpoint;

/**
 * An asyncrpc server without Spring:
 * <pre>{@code
 * AsyncRpcServer server = AsyncRpcServer.builder().port(0).service(new InventoryEndpoint()).build().start();
 * int port = server.port();
 * }</pre>
 * Plain implementations run on a worker executor, never on a Netty event loop; asynchronous ones
 * return a future or complete an {@link AsyncReply} from any thread. Close it when done.
 */
public final class AsyncRpcServer implements AutoCloseable {

    /** The kinds {@link #protocolErrors()} counts by. */
    public static final List<String> PROTOCOL_ERROR_KINDS = List.of("frame-length", "frame-type", "handshake", "unexpected-frame",
            "malformed-frame", "call", "pipe", "other");

    private final ServerRuntime runtime;
    private final List<String> services;
    private final List<CallObserver.CallInfo> operations;
    private final java.util.Map<String, List<PipeInfo.Direction>> pipes;

    private final AsyncRpcResources resources;

    AsyncRpcServer(ServerRuntime runtime, List<String> services, List<CallObserver.CallInfo> operations,
            java.util.Map<String, List<PipeInfo.Direction>> pipes, AsyncRpcResources resources) {
        this.resources = resources;
        this.runtime = runtime;
        this.services = services;
        this.operations = operations;
        this.pipes = pipes;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Bind and start accepting calls.
     * @return this server
     * @throws IllegalStateException if the address cannot be bound
     */
    public AsyncRpcServer start() {
        this.runtime.start();
        return this;
    }

    /**
     * The bound TCP port (useful after {@code port(0)}), or -1 for other transports.
     * @return the port
     */
    public int port() {
        return this.runtime.port();
    }

    /**
     * The address clients use, such as {@code 127.0.0.1:8765} or {@code local:name}.
     * @return the address
     */
    public String address() {
        Endpoint e = this.runtime.endpoint();
        if (e.kind() == Endpoint.Kind.TCP) {
            String host = (e.host().equals("0.0.0.0") || e.host().equals("::")) ? "127.0.0.1" : e.host();
            return new Endpoint(Endpoint.Kind.TCP, host, port(), null).toString();
        }
        return e.toString();
    }

    /**
     * The names of the services served.
     * @return the service names
     */
    public List<String> services() {
        return this.services;
    }

    /**
     * The pipes of calls in progress on this server that are open now: a read-only snapshot.
     * @return one entry per open pipe end, by call id and pipe index
     */
    public List<PipeInfo> openPipes() {
        return this.runtime.pipes().snapshot();
    }

    /**
     * Cumulative pipe totals of this server's pipe ends since it was built: the ended ones plus the open
     * ones, so every field only grows (fit for counters). Cheap: one pass over the open ends.
     * @return the totals
     */
    public PipeTotals pipeTotals() {
        return this.runtime.pipes().totals();
    }

    /**
     * The operations served, each with its service, name and whether the implementation is
     * asynchronous (side {@link CallObserver.CallInfo.Side#SERVER}).
     * @return the operations, in the order the services were given
     */
    public List<CallObserver.CallInfo> operations() {
        return this.operations;
    }

    /**
     * The pipe parameters an operation served takes: their directions, in wire order.
     * @param operation one of {@link #operations()}
     * @return the directions, empty when the operation takes no pipe (or is not served)
     */
    public List<PipeInfo.Direction> pipes(CallObserver.CallInfo operation) {
        return this.pipes.getOrDefault(operation.service() + "/" + operation.operation(), List.of());
    }

    /**
     * Whether the server is bound and accepting calls: {@code false} before {@link #start()}, and
     * from the moment a {@link #shutdown(java.time.Duration) drain} begins or the server is closed.
     * @return whether new calls are accepted
     */
    public boolean isAccepting() {
        return this.runtime.isAccepting();
    }

    /**
     * Graceful drain: stop accepting connections, send GOAWAY to every client (calls they send
     * afterwards are refused with {@link Status#NOT_DISPATCHED}, safe to retry elsewhere), let calls
     * in progress finish within {@code grace}, then close.
     * @param grace how long calls in progress may take to finish
     * @return the number of calls that had not finished when the grace period ended
     */
    public int shutdown(java.time.Duration grace) {
        int left = this.runtime.shutdown(grace);
        giveBack();
        return left;
    }

    /**
     * The transport of the server's event loops: {@link Transport#EPOLL} or {@link Transport#NIO}
     * (its own, or those of the {@link Builder#resources(AsyncRpcResources) shared resources}).
     * @return the transport in use
     */
    public Transport transport() {
        return this.runtime.transport();
    }

    private void giveBack() {
        if (this.resources != null) {
            this.resources.giveBack(this);
        }
    }

    /**
     * Calls in progress on all connections.
     * @return the count
     */
    public int activeCalls() {
        return this.runtime.activeCalls();
    }

    /**
     * Connections open.
     * @return the count
     */
    public int connections() {
        return this.runtime.connectionCount();
    }

    /** The life of a server, as {@link #state()} reports it. */
    public enum State {
        /** Built, not started. */
        NEW,
        /** Bound and accepting calls. */
        RUNNING,
        /** A graceful drain is in progress: new calls are refused. */
        DRAINING,
        /** Closed. */
        CLOSED,
        /**
         * Broken for good: an {@link Error} (such as {@link OutOfMemoryError}) reached one of its
         * event loops, an event loop died, or the listening socket closed unexpectedly. The cause was
         * logged; restart the process. Health reports DOWN.
         */
        FAILED
    }

    /**
     * The server's state now; {@link State#FAILED} once it failed, whatever else happens later.
     * @return the state
     */
    public State state() {
        if (this.runtime.failure() != null) {
            return State.FAILED;
        }
        if (this.runtime.isClosed()) {
            return State.CLOSED;
        }
        if (this.runtime.isDrainingOrClosed()) {
            return State.DRAINING;
        }
        return (this.runtime.port() >= 0 || this.runtime.isAccepting()) ? State.RUNNING : State.NEW;
    }

    /**
     * Why the server is {@link State#FAILED}.
     * @return the error or failure that broke it, or empty
     */
    public java.util.Optional<Throwable> failure() {
        return java.util.Optional.ofNullable(this.runtime.failure());
    }

    /**
     * Be told once when the server becomes {@link State#FAILED}, for example to mark the process
     * broken so that its supervisor restarts it (the Spring Boot starter turns liveness to
     * {@code BROKEN}). The action runs on the thread that records the failure, which may be an
     * event loop, so it must be short and must not block; if the server has failed already it runs
     * at once on the calling thread. An exception it throws is logged and ignored.
     * @param action told the error or failure that broke the server
     * @return this server
     */
    public AsyncRpcServer onFailure(java.util.function.Consumer<? super Throwable> action) {
        java.util.Objects.requireNonNull(action, "action");
        this.runtime.onFailure(action);
        return this;
    }

    /**
     * The address the server is actually bound to, such as {@code 0.0.0.0:7443} when it listens on
     * all IPv4 interfaces or {@code [::]:7443} on all interfaces; {@code local:name} and
     * {@code unix:/path} for those transports. Unlike {@link #address()}, not meant for clients.
     * @return the bound address
     */
    public String boundAddress() {
        return this.runtime.boundAddress();
    }

    /**
     * Protocol errors since start, by kind ({@code frame-length}, {@code frame-type},
     * {@code handshake}, {@code unexpected-frame}, {@code malformed-frame}, {@code call},
     * {@code pipe}, {@code other}): a read-only snapshot. Each closed a connection with a GOAWAY.
     * @return the counts by kind
     */
    public java.util.Map<String, Long> protocolErrors() {
        return this.runtime.protocolErrors();
    }

    /**
     * Connections refused since start because {@link Builder#maxConnections(int)} were open.
     * @return the count
     */
    public long refusedConnections() {
        return this.runtime.refusedConnections();
    }

    /**
     * Bytes of the {@link Builder#memoryBudget(long) memory budget} held now (incomplete frames,
     * call arguments read but not yet decoded, in-pipe data not yet read).
     * @return the bytes
     */
    public long memoryBudgetUsed() {
        return this.runtime.memory().used();
    }

    /**
     * The memory budget's limit in bytes.
     * @return the limit
     */
    public long memoryBudget() {
        return this.runtime.memory().limit();
    }

    /**
     * The most calls in progress on all connections together; more are refused with
     * {@link Status#RESOURCE_EXHAUSTED} (never run, safe to retry).
     * @return the budget
     */
    public int maxCallsInProgress() {
        return this.runtime.maxCallsInProgress();
    }

    /**
     * Work waiting for a worker thread now: calls (and batches of asynchronous calls) queued in
     * connections' quotas or in the worker executor's queue.
     * @return the count
     */
    public int queuedWork() {
        return this.runtime.queuedWork();
    }

    /**
     * Work running on worker threads now (with any executor).
     * @return the count
     */
    public int busyWorkers() {
        return this.runtime.busyWorkers();
    }

    /**
     * Threads of the server's own worker pool alive now, or -1 when it runs on an executor it was given.
     * @return the count
     */
    public int workerThreads() {
        return this.runtime.workerThreads();
    }

    /**
     * The most threads of the server's own worker pool, or -1 when it runs on an executor it was given.
     * @return the maximum
     */
    public int maxWorkerThreads() {
        return this.runtime.maxWorkerThreads();
    }

    /**
     * The limit of the adaptive inline dispatch ({@link Builder#inlineDispatchLimit}).
     * @return the longest one invocation of an asynchronous implementation may take on an event loop; zero when inline dispatch is off
     */
    public java.time.Duration inlineDispatchLimit() {
        return java.time.Duration.ofNanos(this.runtime.inlineDispatchLimit());
    }

    /**
     * The most threads of the server's own worker pool parked at once ({@link Builder#maxParkedWorkers(int)}).
     * @return the limit, or -1 when the server runs on an executor it was given
     */
    public int maxParkedWorkers() {
        return this.runtime.maxParkedWorkers();
    }

    /**
     * Threads of the server's own worker pool parked now: their plain implementations wait for pipe
     * data, and other threads run calls in their place (see {@link Builder#maxParkedWorkers(int)}).
     * @return the count, or -1 when the server runs on an executor it was given
     */
    public int parkedWorkers() {
        return this.runtime.parkedWorkers();
    }

    /**
     * Waits for pipe data refused (their calls failed {@link Status#RESOURCE_EXHAUSTED}) because
     * {@link Builder#maxParkedWorkers(int)} workers were parked already, since the server was built.
     * @return the count (0 when the server runs on an executor it was given)
     */
    public long parkRefusals() {
        return this.runtime.parkRefusals();
    }

    /**
     * Calls refused with {@link Status#RESOURCE_EXHAUSTED} because a limit of calls in progress
     * (per connection or server-wide) was reached, since the server was built.
     * @return the count
     */
    public long refusedCalls() {
        return this.runtime.refusedCalls();
    }

    /**
     * Work the worker executor refused since the server was built: its calls failed
     * ({@link Status#RESOURCE_EXHAUSTED}, or {@link Status#NOT_DISPATCHED} while stopping) without
     * running; such work never runs on an event loop instead.
     * @return the count
     */
    public long rejectedWork() {
        return this.runtime.rejectedTasks();
    }

    /** Who must present a certificate to a TLS server. */
    public enum ClientAuth {
        /** Clients are not asked for a certificate. */
        NONE,
        /** Clients are asked; those without one are still accepted. */
        WANT,
        /** Clients must present a trusted certificate. */
        NEED
    }

    /**
     * Stop at once: close the listener and every connection (their pending calls fail with
     * UNAVAILABLE), and the threads the server owns; borrowed {@link AsyncRpcResources} stay open.
     */
    @Override
    public void close() {
        this.runtime.close();
        giveBack();
    }

    /**
     * Collects the settings of an {@link AsyncRpcServer}; every setting is checked when set.
     * {@link #build()} hands them to {@code ServerAssembly}, which derives the defaults left open and
     * wires the server.
     */
    public static final class Builder {

        // the settings, read by ServerAssembly
        String host = "0.0.0.0";
        int port = 7443;
        String address;
        final List<Object> services = new ArrayList<>();
        Settings settings = Settings.DEFAULTS;
        ExecutorService executor;
        int workerThreads = ServerBudgets.DEFAULT_WORKER_THREADS;
        java.time.Duration workerKeepAlive = ServerBudgets.DEFAULT_WORKER_KEEP_ALIVE;
        int maxParkedWorkers = ServerBudgets.DEFAULT_MAX_PARKED_WORKERS;
        int maxWorkersPerConnection;
        int maxCallsInProgress;
        boolean maxConcurrentCallsSet;
        int ioThreads;
        javax.net.ssl.SSLContext sslContext;
        ClientAuth clientAuth = ClientAuth.NONE;
        CallObserver observer = CallObserver.NONE;
        boolean directDispatch;
        java.time.Duration inlineDispatchLimit = java.time.Duration.ofNanos(ServerRuntime.DEFAULT_INLINE_DISPATCH_LIMIT_NANOS);
        ConnectionOptions options = ConnectionOptions.SERVER_DEFAULTS;
        int maxConnections = 10_000;
        long memoryBudget = -1;
        AsyncRpcResources resources;
        Transport transport = Transport.AUTO;
        final List<java.util.Map.Entry<String, ServerInterceptor>> interceptors = new ArrayList<>();
        final List<ServerExceptionMapper> exceptionMappers = new ArrayList<>();

        /**
         * The most connections open at once; a client connecting beyond it gets a GOAWAY
         * ({@link Status#RESOURCE_EXHAUSTED}) and is closed. Default 10,000.
         * @param connections the limit
         * @return this builder
         */
        public Builder maxConnections(int connections) {
            if (connections <= 0) {
                throw new IllegalArgumentException("maxConnections: " + connections + " (expected: > 0)");
            }
            this.maxConnections = connections;
            return this;
        }

        /**
         * Borrow the event loops of {@code resources}, shared with the application's clients,
         * instead of making the server's own; the worker executor stays the server's. Closing the
         * server does not close the resources (their owner does, after the server).
         * {@link #ioThreads(int)} and {@link #transport(Transport)} are then ignored.
         * @param resources the shared resources, or {@code null} for the server's own event loops
         * @return this builder
         */
        public Builder resources(AsyncRpcResources resources) {
            this.resources = resources;
            return this;
        }

        /**
         * The transport of the server's own event loops (without {@link #resources shared
         * resources}). Default {@link Transport#AUTO}.
         * @param transport the transport
         * @return this builder
         */
        public Builder transport(Transport transport) {
            this.transport = Objects.requireNonNull(transport, "transport");
            return this;
        }

        /**
         * Intercept the calls of every service; interceptors run in the order they were added
         * (global and per-service ones alike).
         * @param interceptor the interceptor
         * @return this builder
         */
        public Builder interceptor(ServerInterceptor interceptor) {
            this.interceptors.add(new java.util.AbstractMap.SimpleImmutableEntry<>(null, Objects.requireNonNull(interceptor, "interceptor")));
            return this;
        }

        /**
         * Intercept the calls of one service; interceptors run in the order they were added
         * (global and per-service ones alike).
         * @param service the service name, one this server serves
         * @param interceptor the interceptor
         * @return this builder
         */
        public Builder interceptor(String service, ServerInterceptor interceptor) {
            if (service == null || service.isBlank()) {
                throw new IllegalArgumentException("interceptor service: '" + service + "' (expected: a service name)");
            }
            this.interceptors.add(new java.util.AbstractMap.SimpleImmutableEntry<>(service, Objects.requireNonNull(interceptor, "interceptor")));
            return this;
        }

        /**
         * The server-wide budget of bytes held for clients: incomplete frames being received, call
         * arguments read but not yet decoded, and in-pipe data received and not yet read. A call whose
         * arguments do not fit is refused with {@link Status#RESOURCE_EXHAUSTED} (it never ran: safe
         * to retry); a large frame that does not fit pauses reading from its connection until memory
         * is freed; pipe data within a pipe's window is always taken, but while the budget is
         * exhausted a pipe that still holds unread data returns no credit until memory frees.
         * Default: a quarter of the smaller of the maximum heap and Netty's maximum direct memory,
         * at least 8 MiB.
         * @param bytes the budget
         * @return this builder
         */
        public Builder memoryBudget(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("memoryBudget: " + bytes + " (expected: > 0)");
            }
            this.memoryBudget = bytes;
            return this;
        }

        /**
         * Outbound bytes queued on one connection above which the server stops reading from it
         * ({@code high}), and below which it reads again ({@code low}). Default 512 KiB and 1 MiB.
         * @param low the low water mark in bytes
         * @param high the high water mark in bytes
         * @return this builder
         */
        public Builder writeBufferWaterMarks(int low, int high) {
            this.options = this.options.withWriteBufferWaterMarks(low, high);
            return this;
        }

        /**
         * How long a client may leave the data queued for it above the high water mark unread before
         * its connection is closed; {@code 0} for no limit. Default 30 s.
         * @param timeout the timeout
         * @return this builder
         */
        public Builder writeStallTimeout(java.time.Duration timeout) {
            this.options = this.options.withWriteStallTimeout(timeout);
            return this;
        }

        /**
         * How long a new connection may take to send its HELLO. Default 10 s.
         * @param timeout the timeout
         * @return this builder
         */
        public Builder handshakeTimeout(java.time.Duration timeout) {
            this.options = this.options.withHandshakeTimeout(timeout);
            return this;
        }

        /**
         * How long a frame may take to arrive once its first bytes have: a client that stops in the
         * middle of a frame is closed after it and the frame's memory released; {@code 0} for no
         * limit. Default 30 s.
         * @param timeout the timeout
         * @return this builder
         */
        public Builder frameReadTimeout(java.time.Duration timeout) {
            this.options = this.options.withFrameReadTimeout(timeout);
            return this;
        }

        /**
         * How long a connection with no call in progress (and no frame other than PING/PONG) stays
         * open; it is then closed with a GOAWAY. {@code 0} for no limit. Default 30 min.
         * @param timeout the timeout
         * @return this builder
         */
        public Builder idleTimeout(java.time.Duration timeout) {
            this.options = this.options.withIdleTimeout(timeout);
            return this;
        }

        /**
         * Keepalive: after {@code interval} without receiving anything from a client, send it a PING;
         * if nothing arrives within {@code timeout}, close the connection (its calls are released).
         * A dead or paused client is so detected within {@code interval + timeout}.
         * {@code interval} 0 turns keepalive off. Default 30 s and 10 s.
         * @param interval the silence before a PING
         * @param timeout how long to wait for an answer
         * @return this builder
         */
        public Builder keepAlive(java.time.Duration interval, java.time.Duration timeout) {
            this.options = this.options.withKeepAlive(interval, timeout);
            return this;
        }

        /**
         * Map implementations' exceptions to statuses; mappers are asked in the order they were
         * added, before the default mapping ({@link ServerExceptionMapper}).
         * @param mapper the mapper
         * @return this builder
         */
        public Builder exceptionMapper(ServerExceptionMapper mapper) {
            this.exceptionMappers.add(Objects.requireNonNull(mapper, "mapper"));
            return this;
        }

        /**
         * Run asynchronous implementations (those returning a future or taking an
         * {@link AsyncReply}) on the Netty event loop that read their calls, instead of handing
         * them to the worker executor: one thread hand-off less per call, as grpc-java's
         * {@code directExecutor()}. Off by default, where only small calls of operations that have
         * proven fast run there ({@link #inlineDispatchLimit}); direct dispatch runs every call of
         * every asynchronous implementation there, from the first, without timing them. Only for
         * implementations that never block and return at once: a blocking one stalls every
         * connection of that event loop. Plain implementations always run on the worker executor.
         * @param direct whether to dispatch asynchronous implementations on the event loop
         * @return this builder
         */
        public Builder directDispatch(boolean direct) {
            this.directDispatch = direct;
            return this;
        }

        /**
         * Adaptive inline dispatch, on by default: a small call (arguments up to 8 KiB) of an
         * asynchronous implementation (returning a {@code CompletableFuture} or
         * {@code CompletionStage}, or taking an {@link AsyncReply}; without pipes, and of a service
         * without {@link ServerInterceptor}s) runs on the event loop that read it, saving the hand-off
         * to a worker and back. An operation starts on the workers; after 32 invocations there, none
         * slower than {@code limit}, its calls run inline. Every invocation of the method is timed
         * (to its return, not to the completion of its future); three slower than {@code limit}
         * within 128 send the operation back to the workers and log a WARN naming it. There it is
         * still timed, and after 4,096 invocations in a row within {@code limit} it runs inline
         * again (logged at INFO); the third demotion is for good.
         * Plain implementations always run on the workers. {@link #directDispatch(boolean)} runs
         * every asynchronous call on the event loop, without this check.
         * @param limit the longest one invocation may take (default 500 µs); {@link java.time.Duration#ZERO} turns inline dispatch off
         * @return this builder
         */
        public Builder inlineDispatchLimit(java.time.Duration limit) {
            Objects.requireNonNull(limit, "limit");
            if (limit.isNegative()) {
                throw new IllegalArgumentException("inlineDispatchLimit: " + limit + " (expected: >= 0; 0 turns inline dispatch off)");
            }
            this.inlineDispatchLimit = limit;
            return this;
        }

        /**
         * Observe every call and connection (metrics, tracing).
         * @param observer the observer
         * @return this builder
         */
        public Builder observer(CallObserver observer) {
            this.observer = Objects.requireNonNull(observer, "observer");
            return this;
        }

        private Builder() {
        }

        /**
         * Serve over TLS with {@code context} (its key managers hold the server's certificate).
         * @param context the TLS context, or {@code null} for plaintext
         * @param clientAuth whether clients must present a certificate trusted by the context's trust managers
         * @return this builder
         */
        public Builder tls(javax.net.ssl.SSLContext context, ClientAuth clientAuth) {
            this.sslContext = context;
            this.clientAuth = Objects.requireNonNull(clientAuth, "clientAuth");
            return this;
        }

        /**
         * The TCP port; 0 picks a free one. Default 7443.
         * @param port the port
         * @return this builder
         */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port: " + port + " (expected: 0-65535)");
            }
            this.port = port;
            return this;
        }

        /**
         * The interface to bind TCP on. Default {@code 0.0.0.0}.
         * @param host a host name or IP address
         * @return this builder
         */
        public Builder host(String host) {
            if (host == null || host.isBlank()) {
                throw new IllegalArgumentException("host: '" + host + "' (expected: a host name or IP address)");
            }
            this.host = host;
            return this;
        }

        /**
         * Listen on an address instead of host and port: {@code host:port}, {@code local:name}
         * (in-JVM) or {@code unix:/path}.
         * @param address the address
         * @return this builder
         */
        public Builder address(String address) {
            Endpoint.parse(address);
            this.address = address;
            return this;
        }

        /**
         * Serve every {@code @RemoteService} interface {@code implementation} implements.
         * @param implementation the implementation object
         * @return this builder
         */
        public Builder service(Object implementation) {
            this.services.add(Objects.requireNonNull(implementation, "implementation"));
            return this;
        }

        /**
         * The largest frame accepted from a client, in bytes. Default 16 MiB.
         * @param bytes the size
         * @return this builder
         */
        public Builder maxFrameSize(int bytes) {
            this.settings = this.settings.withMaxFrameSize(bytes); // checked by Settings, naming the value
            return this;
        }

        /**
         * The pipe window: how many bytes of one pipe's data a client may have sent before this server
         * returns credit, which bounds the memory each pipe it receives can take. Elements may take up
         * to half of it. Default 1 MiB.
         * @param bytes the window
         * @return this builder
         */
        public Builder pipeWindow(int bytes) {
            this.settings = this.settings.withInitialPipeWindow(bytes); // checked by Settings, naming the value
            return this;
        }

        /**
         * The most calls in progress at once on one connection, announced to clients in the
         * handshake (they hold further calls locally); calls beyond it are refused with
         * {@link Status#RESOURCE_EXHAUSTED} (never run, safe to retry). Default: an eighth of
         * {@link #maxCallsInProgress(int)}, at most 10,000.
         * @param calls the limit
         * @return this builder
         */
        public Builder maxConcurrentCalls(int calls) {
            this.settings = this.settings.withMaxConcurrentCalls(calls); // checked by Settings, naming the value
            this.maxConcurrentCallsSet = true;
            return this;
        }

        /**
         * The most calls in progress on all connections together; calls beyond it are refused with
         * {@link Status#RESOURCE_EXHAUSTED} (never run, safe to retry), so that a flood of calls
         * sheds load instead of exhausting the heap. Default: the maximum heap / 8 KiB, between
         * 1,024 and 1,000,000 (32,768 at {@code -Xmx256m}).
         * @param calls the budget
         * @return this builder
         */
        public Builder maxCallsInProgress(int calls) {
            if (calls <= 0) {
                throw new IllegalArgumentException("maxCallsInProgress: " + calls + " (expected: > 0)");
            }
            this.maxCallsInProgress = calls;
            return this;
        }

        /**
         * The most tasks of one connection (plain calls, batches of asynchronous calls) given to the
         * worker executor at once; the connection's further work waits its turn, so that one
         * connection cannot take every worker. Default: half of {@link #workerThreads(int)}
         * (32), at least 1, with any executor.
         * @param tasks the quota
         * @return this builder
         */
        public Builder maxWorkersPerConnection(int tasks) {
            if (tasks <= 0) {
                throw new IllegalArgumentException("maxWorkersPerConnection: " + tasks + " (expected: > 0)");
            }
            this.maxWorkersPerConnection = tasks;
            return this;
        }

        /**
         * The most threads of the default worker pool that may be parked at once (ignored with
         * {@link #executor}). A worker is parked while its plain implementation waits for pipe data
         * (an {@code InPipe} read with nothing received yet); it does not count against
         * {@link #workerThreads(int)}, so another thread runs calls in its place, and peers that
         * never send the data they announced cannot take every worker. A wait beyond this many fails
         * its call with {@link Status#RESOURCE_EXHAUSTED}, whose message names this limit; the pool
         * holds at most {@code workerThreads + maxParkedWorkers} threads, and the extra ones retire
         * when the parked ones wake. Default 256.
         * @param workers the most parked workers
         * @return this builder
         */
        public Builder maxParkedWorkers(int workers) {
            if (workers <= 0) {
                throw new IllegalArgumentException("maxParkedWorkers: " + workers + " (expected: > 0)");
            }
            this.maxParkedWorkers = workers;
            return this;
        }

        /**
         * How long an idle thread of the default worker pool waits for work before it retires
         * (ignored with {@link #executor}). Default 60 s.
         * @param keepAlive the keep-alive
         * @return this builder
         */
        public Builder workerKeepAlive(java.time.Duration keepAlive) {
            if (keepAlive == null || keepAlive.isNegative() || keepAlive.isZero()) {
                throw new IllegalArgumentException("workerKeepAlive: " + keepAlive + " (expected: > 0)");
            }
            this.workerKeepAlive = keepAlive;
            return this;
        }

        /**
         * The executor plain implementations (and the dispatch of asynchronous ones) run on. The
         * caller keeps ownership: the server does not shut it down.
         * @param executor the executor
         * @return this builder
         */
        public Builder executor(ExecutorService executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * The most threads of the default worker pool (ignored with {@link #executor}). Default 64.
         * The pool starts one thread per core as work arrives, starts more only while work waits
         * for a thread, queues work (FIFO) once it has this many, and retires threads idle for
         * {@link #workerKeepAlive(java.time.Duration)}.
         * @param threads the most threads
         * @return this builder
         */
        public Builder workerThreads(int threads) {
            if (threads <= 0) {
                throw new IllegalArgumentException("workerThreads: " + threads + " (expected: > 0)");
            }
            this.workerThreads = threads;
            return this;
        }

        /**
         * Netty event loop threads; 0 means Netty's default (twice the cores).
         * @param threads the thread count
         * @return this builder
         */
        public Builder ioThreads(int threads) {
            if (threads < 0) {
                throw new IllegalArgumentException("ioThreads: " + threads + " (expected: >= 0)");
            }
            this.ioThreads = threads;
            return this;
        }

        /**
         * Build the server (not started).
         * @return the server
         * @throws IllegalArgumentException if no service was given, an implementation is invalid, or
         *         an interceptor names a service not served
         * @throws IllegalStateException if the shared {@link #resources(AsyncRpcResources) resources} are closed
         */
        public AsyncRpcServer build() {
            return ServerAssembly.assemble(this);
        }
    }
}
