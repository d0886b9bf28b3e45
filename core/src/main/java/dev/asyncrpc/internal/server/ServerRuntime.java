package dev.asyncrpc.internal.server;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import dev.asyncrpc.internal.MemoryBudget;
import dev.asyncrpc.internal.pipe.PipeRegistry;
import dev.asyncrpc.internal.protocol.FrameDecoder;
import dev.asyncrpc.internal.protocol.Settings;
import dev.asyncrpc.internal.transport.ConnectionOptions;
import dev.asyncrpc.internal.transport.Endpoint;
import dev.asyncrpc.internal.transport.FrameReadTimeoutHandler;
import dev.asyncrpc.internal.transport.GracefulClose;
import dev.asyncrpc.internal.transport.IdleTimeoutHandler;
import dev.asyncrpc.internal.transport.OutboundLimitHandler;
import dev.asyncrpc.internal.transport.WriteCoalescer;
import dev.asyncrpc.internal.transport.PartialFrameBudgetHandler;
import dev.asyncrpc.internal.transport.ReadGate;
import dev.asyncrpc.internal.transport.Transports;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;

/** A listening server: binds, accepts connections, owns its event loops and worker executor. */
public final class ServerRuntime implements AutoCloseable {

    private final Endpoint endpoint;
    private final ServiceRegistry registry;
    private final Settings settings;
    private final ExecutorService executor;
    private final boolean ownsExecutor;
    private final Transports transports;
    private final boolean ownsTransports;
    private final PipeRegistry pipeRegistry = new PipeRegistry();
    private final ChannelGroup connections = new DefaultChannelGroup("asyncrpc-connections", GlobalEventExecutor.INSTANCE);
    private volatile Channel serverChannel;
    /** The calls in progress on all connections, their limit, refusals and the drain. */
    private final CallsInProgress calls = new CallsInProgress();
    private final javax.net.ssl.SSLContext sslContext;
    private final io.netty.handler.ssl.ClientAuth clientAuth;
    final dev.asyncrpc.CallObserver observer;

    /** Hands work to the executor: per-connection lanes, counts, refusals (replaced by {@link #limits}). */
    private volatile WorkerDispatch dispatch;
    /** The most calls in progress on all connections together. */

    /** Whether asynchronous implementations run on the event loop (opt-in; set before start). */
    boolean directDispatch;
    /** The longest an inline-dispatched invocation may take before its operation is demoted; 0: off. */
    private long inlineDispatchLimitNanos = DEFAULT_INLINE_DISPATCH_LIMIT_NANOS;

    /** The default limit of {@link #inlineDispatchLimit}: 500 µs. */
    public static final long DEFAULT_INLINE_DISPATCH_LIMIT_NANOS = 500_000;

    /** Arguments larger than this are decoded on a worker, never inline. */
    static final int INLINE_MAX_ARGUMENT_BYTES = 8192;
    private ServerInterceptors interceptors = ServerInterceptors.NONE;
    private ExceptionMapping exceptionMapping = ExceptionMapping.DEFAULT;
    private boolean closed;

    private ConnectionOptions options = ConnectionOptions.SERVER_DEFAULTS;
    /** The cap on open connections. */
    private final ConnectionCap connectionCap = new ConnectionCap();
    private MemoryBudget memory = new MemoryBudget(MemoryBudget.defaultLimit());
    final ProtocolErrors protocolErrors = new ProtocolErrors();
    private final ServerHealth health = new ServerHealth();

    /**
     * @param transports the event loops
     * @param ownsTransports whether {@link #close()} closes them (false when borrowed from shared resources)
     */
    public ServerRuntime(Endpoint endpoint, ServiceRegistry registry, Settings settings, ExecutorService executor,
            boolean ownsExecutor, Transports transports, boolean ownsTransports, javax.net.ssl.SSLContext sslContext,
            io.netty.handler.ssl.ClientAuth clientAuth, dev.asyncrpc.CallObserver observer) {
        this.observer = observer;
        this.sslContext = sslContext;
        this.clientAuth = clientAuth;
        this.endpoint = endpoint;
        this.registry = registry;
        this.settings = settings;
        this.executor = executor;
        this.ownsExecutor = ownsExecutor;
        this.transports = transports;
        this.ownsTransports = ownsTransports;
        this.dispatch = new WorkerDispatch(executor, Integer.MAX_VALUE);
    }

    /** The transport of the event loops (EPOLL or NIO). */
    public dev.asyncrpc.Transport transport() {
        return this.transports.transport();
    }

    /**
     * Set the budgets (before {@link #start()}).
     * @param maxCallsInProgress the most calls in progress on all connections together
     * @param workersPerConnection the most tasks of one connection given to the worker executor at once
     */
    public void limits(int maxCallsInProgress, int workersPerConnection) {
        this.calls.limit(maxCallsInProgress);
        this.dispatch = new WorkerDispatch(this.executor, workersPerConnection);
    }

    WorkerDispatch dispatch() {
        return this.dispatch;
    }

    public int maxCallsInProgress() {
        return this.calls.maxCallsInProgress();
    }

    /** Work waiting for a worker: in connections' lanes and in the executor's queue. */
    public int queuedWork() {
        return this.dispatch.waiting();
    }

    /** Work running on workers now. */
    public int busyWorkers() {
        return this.dispatch.running();
    }

    /** Worker threads alive now, or -1 when the executor is not the server's own pool. */
    public int workerThreads() {
        return (this.executor instanceof WorkerPool pool) ? pool.threads() : -1;
    }

    /** The most worker threads, or -1 when the executor is not the server's own pool. */
    public int maxWorkerThreads() {
        return (this.executor instanceof WorkerPool pool) ? pool.maxThreads() : -1;
    }

    /** The most parked worker threads, or -1 when the executor is not the server's own pool. */
    public int maxParkedWorkers() {
        return (this.executor instanceof WorkerPool pool) ? pool.maxParked() : -1;
    }

    /** Worker threads parked now (their plain implementations wait for pipe data), or -1 when the executor is not the server's own pool. */
    public int parkedWorkers() {
        return (this.executor instanceof WorkerPool pool) ? pool.parked() : -1;
    }

    /** Waits for pipe data refused because the most workers were parked already, since start (0 when the executor is not the server's own pool). */
    public long parkRefusals() {
        return (this.executor instanceof WorkerPool pool) ? pool.parkRefused() : 0;
    }

    /** Calls refused because a limit was reached (per connection or server-wide), since start. */
    public long refusedCalls() {
        return this.calls.refusedCalls();
    }

    /** Tasks the worker executor refused (their calls failed, never ran inline), since start. */
    public long rejectedTasks() {
        return this.dispatch.rejected();
    }

    /** The calls in progress on all connections: counted, limited, refused, drained. */
    CallsInProgress calls() {
        return this.calls;
    }

    ServiceRegistry registry() {
        return this.registry;
    }

    Settings settings() {
        return this.settings;
    }

    ExecutorService executor() {
        return this.executor;
    }

    /** The open pipes of this server's calls. */
    public PipeRegistry pipes() {
        return this.pipeRegistry;
    }

    boolean isDraining() {
        return this.calls.isDraining();
    }

    /** Bind and start accepting. */
    public void start() {
        for (ServerMethod m : this.registry.methods()) {
            m.inline = this.directDispatch ? null
                    : InlineGate.of(m, this.inlineDispatchLimitNanos);
            m.pipeCallbacks = InlineGate.ofPipeCallbacks(m, this.inlineDispatchLimitNanos);
        }
        EventLoopGroup group = this.transports.group(this.endpoint.kind());
        ServerBootstrap b = new ServerBootstrap().group(group)
                .channel(this.transports.serverChannelType(this.endpoint.kind()))
                .childOption(ChannelOption.ALLOCATOR, io.netty.buffer.ByteBufAllocator.DEFAULT)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (!ServerRuntime.this.connectionCap.admit(ch)) {
                            return;
                        }
                        ServerRuntime.this.connections.add(ch);
                        ConnectionOptions o = ServerRuntime.this.options;
                        ReadGate gate = new ReadGate();
                        ch.pipeline().addLast("read-gate", gate);
                        if (ServerRuntime.this.sslContext != null) {
                            io.netty.handler.ssl.SslContext ssl = new io.netty.handler.ssl.JdkSslContext(ServerRuntime.this.sslContext, false,
                                    null, io.netty.handler.ssl.IdentityCipherSuiteFilter.INSTANCE, null, ServerRuntime.this.clientAuth, null, false);
                            ch.pipeline().addLast("tls", ssl.newHandler(ch.alloc()));
                        }
                        ch.pipeline().addLast("outbound-limit", new OutboundLimitHandler(o.writeLowWaterMark(), o.writeHighWaterMark(), o.writeStallTimeout()));
                        ch.pipeline().addLast("coalesce", new WriteCoalescer());
                        ch.pipeline().addLast("frames", new FrameDecoder(ServerRuntime.this.settings.maxFrameSize(), ServerBudgets.FRAMES_PER_TURN, gate));
                        if (!o.frameReadTimeout().isZero()) {
                            ch.pipeline().addLast("frame-read-timeout", new FrameReadTimeoutHandler(o.frameReadTimeout()));
                        }
                        ch.pipeline().addLast("frame-budget", new PartialFrameBudgetHandler(ServerRuntime.this.memory));
                        ServerConnection connection = new ServerConnection(ServerRuntime.this);
                        if (!o.idleTimeout().isZero()) {
                            ch.pipeline().addLast("idle", new IdleTimeoutHandler(o.idleTimeout(), connection::isBusy));
                        }
                        ch.pipeline().addLast("server", connection);
                    }
                });
        SocketAddress address;
        if (this.endpoint.kind() == Endpoint.Kind.TCP) {
            b.childOption(ChannelOption.TCP_NODELAY, true).option(ChannelOption.SO_REUSEADDR, true);
            address = new InetSocketAddress(this.endpoint.host(), this.endpoint.port());
        }
        else {
            address = this.endpoint.socketAddress();
        }
        try {
            this.serverChannel = b.bind(address).syncUninterruptibly().channel();
        }
        catch (RuntimeException ex) {
            if (this.ownsTransports) {
                this.transports.close();
            }
            throw new IllegalStateException("cannot listen on " + this.endpoint + ": " + ex.getMessage(), ex);
        }
        this.health.watch(this, group, this.serverChannel);
    }

    /** Connections refused because of the connection cap, since start. */
    public long refusedConnections() {
        return this.connectionCap.refused();
    }

    /** Set the connection-layer options (before {@link #start()}). */
    public void options(ConnectionOptions options) {
        this.options = options;
    }

    ConnectionOptions options() {
        return this.options;
    }

    /** Set the connection cap (before {@link #start()}). */
    public void maxConnections(int max) {
        this.connectionCap.max(max);
    }

    /** Set the memory budget (before {@link #start()}). */
    public void memoryBudget(MemoryBudget budget) {
        this.memory = budget;
    }

    /** The server-wide budget of bytes held for peers. */
    public MemoryBudget memory() {
        return this.memory;
    }

    /** Protocol errors by kind since start: a snapshot. */
    public java.util.Map<String, Long> protocolErrors() {
        return this.protocolErrors.snapshot();
    }

    /** The failure that made this server FAILED, or {@code null}. */
    public Throwable failure() {
        return this.health.failure();
    }

    /** Run {@code listener} once with the first failure (at once if failed already). */
    public void onFailure(java.util.function.Consumer<? super Throwable> listener) {
        this.health.onFailure(listener);
    }

    /** Record an Error that reached an event loop: log, close {@code channel} (if any), mark FAILED. Any thread. */
    void fatal(Throwable error, Channel channel) {
        this.health.fail(error, channel == null ? "an event loop" : "connection " + channel.remoteAddress());
        if (channel != null) {
            channel.close();
        }
    }

    /** The address the listener is bound to, such as {@code 0.0.0.0:7443} or {@code [::]:7443}; the endpoint before start. */
    public String boundAddress() {
        Channel ch = this.serverChannel;
        if (ch != null && ch.localAddress() instanceof InetSocketAddress isa) {
            java.net.InetAddress ip = isa.getAddress();
            String host = (ip == null) ? isa.getHostString()
                    : ip.isAnyLocalAddress() ? (ip instanceof java.net.Inet6Address ? "::" : "0.0.0.0") : ip.getHostAddress();
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + isa.getPort();
        }
        return this.endpoint.toString();
    }

    /** The bound port (TCP), or -1. */
    public int port() {
        Channel ch = this.serverChannel;
        if (ch != null && ch.localAddress() instanceof InetSocketAddress isa) {
            return isa.getPort();
        }
        return -1;
    }

    public Endpoint endpoint() {
        return this.endpoint;
    }

    public int connectionCount() {
        return this.connections.size();
    }

    /** The interceptors calls pass before their implementation runs (set before {@link #start()}). */
    public void interceptors(ServerInterceptors interceptors) {
        this.interceptors = java.util.Objects.requireNonNull(interceptors, "interceptors");
        for (ServerMethod m : this.registry.methods()) {
            m.interceptors = interceptors.forService(m.model.service()); // once, not per call
        }
    }

    ServerInterceptors interceptors() {
        return this.interceptors;
    }

    /** How implementations' exceptions become statuses (set before {@link #start()}). */
    public void exceptionMapping(ExceptionMapping mapping) {
        this.exceptionMapping = java.util.Objects.requireNonNull(mapping, "mapping");
    }

    ExceptionMapping exceptionMapping() {
        return this.exceptionMapping;
    }

    /**
     * Adaptive inline dispatch of asynchronous implementations (set before {@link #start()}): see
     * {@link InlineGate}.
     * @param limitNanos the longest one invocation may take (three slower ones within 128 send its operation to the workers); 0 turns it off
     */
    public void inlineDispatchLimit(long limitNanos) {
        if (limitNanos < 0) {
            throw new IllegalArgumentException("inlineDispatchLimit: " + limitNanos + " ns (expected: >= 0)");
        }
        this.inlineDispatchLimitNanos = limitNanos;
    }

    /** The limit of the adaptive inline dispatch, in nanoseconds; 0 when it is off. */
    public long inlineDispatchLimit() {
        return this.inlineDispatchLimitNanos;
    }

    /** Run asynchronous implementations on the event loop that read their calls (set before {@link #start()}). */
    public void directDispatch(boolean direct) {
        this.directDispatch = direct;
    }

    /** Tell the observer, never letting it fail the caller. */
    void observe(java.util.function.Consumer<dev.asyncrpc.CallObserver> event) {
        if (this.observer != dev.asyncrpc.CallObserver.NONE) {
            try {
                event.accept(this.observer);
            }
            catch (RuntimeException ex) {
                System.getLogger(ServerRuntime.class.getName()).log(System.Logger.Level.WARNING, "CallObserver failed", ex);
            }
        }
    }

    public int activeCalls() {
        return this.calls.active();
    }

    /** Bound, listening, and not draining, closed or failed. */
    public boolean isAccepting() {
        Channel ch = this.serverChannel;
        return ch != null && ch.isActive() && !this.calls.isDraining() && this.health.failure() == null;
    }

    /** Whether {@link #close()} has run. */
    public synchronized boolean isClosed() {
        return this.closed;
    }

    public boolean isDrainingOrClosed() {
        return this.calls.isDraining();
    }

    /**
     * Graceful drain: stop accepting connections, send GOAWAY on every connection (new calls are
     * refused with NOT_DISPATCHED, which is safe to retry elsewhere), let calls in progress finish
     * within {@code grace}, then close.
     * @return the number of calls still in progress when the grace period ended (0 if all finished)
     */
    public int shutdown(java.time.Duration grace) {
        synchronized (this) {
            if (this.closed) {
                return 0;
            }
            this.calls.startDraining();
        }
        Channel ch = this.serverChannel;
        if (ch != null) {
            ch.close().syncUninterruptibly();
        }
        for (Channel c : this.connections) {
            c.eventLoop().execute(() -> {
                ServerConnection sc = c.pipeline().get(ServerConnection.class);
                if (sc != null) {
                    sc.goAway("server is shutting down");
                }
            });
        }
        int left = this.calls.awaitNone(System.nanoTime() + grace.toNanos());
        close();
        return left;
    }

    /** Close at once: stop accepting, close every connection, stop the event loops and the executor. */
    @Override
    public synchronized void close() {
        if (this.closed) {
            return;
        }
        this.closed = true;
        this.calls.startDraining();
        this.health.closing();
        Channel ch = this.serverChannel;
        if (ch != null) {
            ch.close().syncUninterruptibly();
        }
        this.connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        if (this.ownsTransports) {
            this.transports.close();
        }
        this.pipeRegistry.close("the server closed"); // unread pipe data of ended calls
        if (this.ownsExecutor) {
            this.executor.shutdownNow();
        }
    }

}
