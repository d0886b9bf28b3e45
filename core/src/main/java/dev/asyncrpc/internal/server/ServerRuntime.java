package dev.asyncrpc.internal.server;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import dev.asyncrpc.internal.pipe.PipeRegistry;
import dev.asyncrpc.internal.protocol.FrameDecoder;
import dev.asyncrpc.internal.protocol.Settings;
import dev.asyncrpc.internal.transport.Endpoint;
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
    private volatile boolean draining;
    private final java.util.concurrent.atomic.AtomicInteger activeCalls = new java.util.concurrent.atomic.AtomicInteger();
    private final Object drained = new Object();
    private final javax.net.ssl.SSLContext sslContext;
    private final io.netty.handler.ssl.ClientAuth clientAuth;
    final dev.asyncrpc.CallObserver observer;

    /** Hands work to the executor: per-connection lanes, counts, refusals (replaced by {@link #limits}). */
    private volatile WorkerDispatch dispatch;
    /** The most calls in progress on all connections together. */
    private volatile int maxCallsInProgress = Integer.MAX_VALUE;
    private final java.util.concurrent.atomic.LongAdder refused = new java.util.concurrent.atomic.LongAdder();

    /** Whether asynchronous implementations run on the event loop (opt-in; set before start). */
    boolean directDispatch;
    private ServerInterceptors interceptors = ServerInterceptors.NONE;
    private ExceptionMapping exceptionMapping = ExceptionMapping.DEFAULT;
    private boolean closed;

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
        this.maxCallsInProgress = maxCallsInProgress;
        this.dispatch = new WorkerDispatch(this.executor, workersPerConnection);
    }

    WorkerDispatch dispatch() {
        return this.dispatch;
    }

    public int maxCallsInProgress() {
        return this.maxCallsInProgress;
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

    /** Calls refused because a limit was reached (per connection or server-wide), since start. */
    public long refusedCalls() {
        return this.refused.sum();
    }

    /** Tasks the worker executor refused (their calls failed, never ran inline), since start. */
    public long rejectedTasks() {
        return this.dispatch.rejected();
    }

    void refused() {
        this.refused.increment();
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
        return this.draining;
    }

    /** Bind and start accepting. */
    public void start() {
        EventLoopGroup group = this.transports.group(this.endpoint.kind());
        ServerBootstrap b = new ServerBootstrap().group(group)
                .channel(this.transports.serverChannelType(this.endpoint.kind()))
                .childOption(ChannelOption.ALLOCATOR, io.netty.buffer.ByteBufAllocator.DEFAULT)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ServerRuntime.this.connections.add(ch);
                        if (ServerRuntime.this.sslContext != null) {
                            io.netty.handler.ssl.SslContext ssl = new io.netty.handler.ssl.JdkSslContext(ServerRuntime.this.sslContext, false,
                                    null, io.netty.handler.ssl.IdentityCipherSuiteFilter.INSTANCE, null, ServerRuntime.this.clientAuth, null, false);
                            ch.pipeline().addLast("tls", ssl.newHandler(ch.alloc()));
                        }
                        ch.pipeline().addLast("frames", new FrameDecoder(ServerRuntime.this.settings.maxFrameSize()));
                        ch.pipeline().addLast("server", new ServerConnection(ServerRuntime.this));
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

    /**
     * A call starts if the server-wide budget has room (any thread).
     * @return {@code false} if {@code maxCallsInProgress} calls are in progress already
     */
    boolean tryCallStarted() {
        while (true) {
            int n = this.activeCalls.get();
            if (n >= this.maxCallsInProgress) {
                return false;
            }
            if (this.activeCalls.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** A call ended: replied to, or its connection closed (any thread). */
    void callEnded() {
        if (this.activeCalls.decrementAndGet() == 0 && this.draining) {
            synchronized (this.drained) {
                this.drained.notifyAll();
            }
        }
    }

    public int activeCalls() {
        return this.activeCalls.get();
    }

    /** Bound, listening, and not draining or closed. */
    public boolean isAccepting() {
        Channel ch = this.serverChannel;
        return ch != null && ch.isActive() && !this.draining;
    }

    public boolean isDrainingOrClosed() {
        return this.draining;
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
            this.draining = true;
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
        long deadline = System.nanoTime() + grace.toNanos();
        synchronized (this.drained) {
            while (this.activeCalls.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    this.drained.wait(Math.max(1, left / 1_000_000));
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        int left = this.activeCalls.get();
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
        this.draining = true;
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
