package dev.asyncrpc.internal.client;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import dev.asyncrpc.internal.codec.Codecs;
import dev.asyncrpc.internal.pipe.PipeRegistry;
import dev.asyncrpc.internal.protocol.Settings;
import dev.asyncrpc.internal.transport.Endpoint;
import dev.asyncrpc.internal.transport.Transports;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;

/**
 * What the bindings of one client share: event loops, codecs, the executor that completes calls,
 * limits. Closes the event loops and the executor only if it owns them (they may be borrowed from
 * shared resources).
 */
public final class ClientRuntime implements AutoCloseable {

    final Settings settings;
    final ClientDefaults defaults;
    final dev.asyncrpc.CallObserver observer;

    /** Whether replies complete their futures on the event loop (opt-in; set before the first call). */
    boolean directCompletion;
    /** The interceptors calls pass before they are sent (set before the first call). */
    ClientInterceptors interceptors = ClientInterceptors.NONE;
    /** Calls issued and not ended; a counter per thread (issuing and completing threads differ), summed when read. */
    final java.util.concurrent.atomic.LongAdder pending = new java.util.concurrent.atomic.LongAdder();
    /** Calls held by this client's connections, not sent yet: before the handshake, or at the server's MAX_CONCURRENT_CALLS. */
    final java.util.concurrent.atomic.AtomicInteger queued = new java.util.concurrent.atomic.AtomicInteger();
    final Duration connectTimeout;
    final Duration handshakeTimeout;
    dev.asyncrpc.internal.transport.ConnectionOptions options = dev.asyncrpc.internal.transport.ConnectionOptions.CLIENT_DEFAULTS;
    final ExecutorService executor;
    private final boolean ownsExecutor;
    final Codecs codecs;
    final ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;
    final PipeRegistry pipeRegistry = new PipeRegistry();
    private final Transports transports;
    private final boolean ownsTransports;
    private final Map<ClientConnection, Boolean> connections = new ConcurrentHashMap<>();
    private volatile boolean closed;
    private final javax.net.ssl.SSLContext sslContext;

    /** Whether this client's connections use TLS. */
    boolean isTls() {
        return this.sslContext != null;
    }

    /**
     * @param transports the event loops
     * @param ownsTransports whether {@link #close()} closes them (false when borrowed)
     * @param executor the completion executor
     * @param ownsExecutor whether {@link #close()} shuts it down (false when borrowed or given)
     */
    public ClientRuntime(Settings settings, ClientDefaults defaults, Duration connectTimeout, Duration handshakeTimeout, Transports transports,
            boolean ownsTransports, ExecutorService executor, boolean ownsExecutor, Codecs codecs, javax.net.ssl.SSLContext sslContext,
            dev.asyncrpc.CallObserver observer) {
        this.sslContext = sslContext;
        this.observer = observer;
        this.settings = settings;
        this.defaults = defaults;
        this.connectTimeout = connectTimeout;
        this.handshakeTimeout = handshakeTimeout;
        this.executor = executor;
        this.ownsExecutor = ownsExecutor;
        this.codecs = codecs;
        this.transports = transports;
        this.ownsTransports = ownsTransports;
    }

    /** The transport of the event loops (EPOLL or NIO). */
    public dev.asyncrpc.Transport transport() {
        return this.transports.transport();
    }

    /** The open pipes of this client's calls. */
    public PipeRegistry pipes() {
        return this.pipeRegistry;
    }

    /** The connection-layer options (set before the first call). */
    public void options(dev.asyncrpc.internal.transport.ConnectionOptions options) {
        this.options = options;
    }

    /** The interceptors calls pass before they are sent (set before the first call). */
    public void interceptors(ClientInterceptors interceptors) {
        this.interceptors = java.util.Objects.requireNonNull(interceptors, "interceptors");
    }

    /** Complete calls on the event loop that read their replies (set before the first call). */
    public void directCompletion(boolean direct) {
        this.directCompletion = direct;
    }

    /** Calls issued and not yet completed. */
    public int pendingCalls() {
        return this.pending.intValue();
    }

    /** Calls issued but held locally, not sent yet. */
    public int queuedCalls() {
        return this.queued.get();
    }

        /** Connections currently open (handshake done or in progress). */
    public int connectionCount() {
        return this.connections.size();
    }

    /**
     * The calls the connections hold now, oldest first: each connection's table is read on its own
     * event loop, so this waits for the loops (at most {@code timeout} in all); nothing is kept per
     * call for it beyond the issue time.
     */
    public java.util.List<dev.asyncrpc.PendingCallInfo> pendingCallSnapshot(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        java.util.List<dev.asyncrpc.PendingCallInfo> all = new java.util.ArrayList<>();
        for (ClientConnection c : this.connections.keySet()) {
            java.util.List<dev.asyncrpc.PendingCallInfo> part = new java.util.ArrayList<>();
            if (c.loop().inEventLoop()) {
                c.snapshot(part, System.nanoTime());
                all.addAll(part);
                continue;
            }
            try {
                c.loop().submit(() -> c.snapshot(part, System.nanoTime()))
                        .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                all.addAll(part);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                break;
            }
            catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException
                    | java.util.concurrent.RejectedExecutionException ex) {
                // the loop is busy or gone: leave this connection out of the snapshot
            }
        }
        all.sort(java.util.Comparator.comparing(dev.asyncrpc.PendingCallInfo::age).reversed());
        return all;
    }

    /** Closed, or its borrowed event loops are. */
    public boolean isClosed() {
        return this.closed || this.transports.isClosed();
    }

    /** Open a connection to {@code endpoint}; calls may be sent at once (they wait for the handshake). */
    ClientConnection connect(Endpoint endpoint) {
        EventLoop loop = this.transports.group(endpoint.kind()).next();
        ClientConnection connection = new ClientConnection(this, endpoint, loop);
        Bootstrap b = new Bootstrap().group(loop).channel(this.transports.channelType(endpoint.kind()))
                .option(ChannelOption.ALLOCATOR, this.alloc)
                .handler(new io.netty.channel.ChannelInitializer<>() {
                    @Override
                    protected void initChannel(io.netty.channel.Channel ch) {
                        if (ClientRuntime.this.sslContext != null) {
                            ch.pipeline().addLast("tls", tlsHandler(ch, endpoint));
                        }
                        connection.attach(ch);
                    }
                });
        if (endpoint.kind() == Endpoint.Kind.TCP) {
            b.option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, this.connectTimeout.toMillis()));
        }
        this.connections.put(connection, Boolean.TRUE);
        ChannelFuture f = b.connect(endpoint.socketAddress());
        f.addListener(done -> {
            if (!done.isSuccess()) {
                connection.connectFailed(done.cause());
            }
        });
        return connection;
    }

    private io.netty.handler.ssl.SslHandler tlsHandler(io.netty.channel.Channel ch, Endpoint endpoint) {
        io.netty.handler.ssl.SslContext ssl = new io.netty.handler.ssl.JdkSslContext(this.sslContext, true,
                null, io.netty.handler.ssl.IdentityCipherSuiteFilter.INSTANCE, null, io.netty.handler.ssl.ClientAuth.NONE, null, false);
        io.netty.handler.ssl.SslHandler handler = (endpoint.kind() == Endpoint.Kind.TCP)
                ? ssl.newHandler(ch.alloc(), endpoint.host(), endpoint.port()) : ssl.newHandler(ch.alloc());
        if (endpoint.kind() == Endpoint.Kind.TCP) {
            javax.net.ssl.SSLParameters params = handler.engine().getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS"); // the server's certificate must name the host we dialled
            handler.engine().setSSLParameters(params);
        }
        return handler;
    }

    void connectionClosed(ClientConnection connection) {
        this.connections.remove(connection);
    }

    /** Close every connection (pending calls fail with UNAVAILABLE), then the event loops. */
    @Override
    public void close() {
        if (this.closed) {
            return;
        }
        this.closed = true;
        for (ClientConnection c : this.connections.keySet()) {
            c.close("client closed");
        }
        if (this.ownsTransports) {
            this.transports.close();
        }
        this.pipeRegistry.close("the client closed"); // unread pipe data of ended calls
        if (this.ownsExecutor) {
            this.executor.shutdown();
            try {
                this.executor.awaitTermination(2, TimeUnit.SECONDS);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
