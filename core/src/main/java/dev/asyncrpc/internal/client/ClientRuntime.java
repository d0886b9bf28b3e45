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
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;

/**
 * What the bindings of one client share: event loops, codecs, the executor that completes calls,
 * limits. Owns them and closes them.
 */
public final class ClientRuntime implements AutoCloseable {

    final Settings settings;
    final Duration connectTimeout;
    final Duration handshakeTimeout;
    final ExecutorService executor;
    private final boolean ownsExecutor;
    final Codecs codecs;
    final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    final PipeRegistry pipeRegistry = new PipeRegistry();
    private final Transports transports;
    private final Map<ClientConnection, Boolean> connections = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public ClientRuntime(Settings settings, Duration connectTimeout, Duration handshakeTimeout, int ioThreads,
            ExecutorService executor, boolean ownsExecutor, Codecs codecs) {
        this.settings = settings;
        this.connectTimeout = connectTimeout;
        this.handshakeTimeout = handshakeTimeout;
        this.executor = executor;
        this.ownsExecutor = ownsExecutor;
        this.codecs = codecs;
        this.transports = new Transports("asyncrpc-client-io", ioThreads);
    }

    /** The open pipes of this client's calls. */
    public PipeRegistry pipes() {
        return this.pipeRegistry;
    }

    public boolean isClosed() {
        return this.closed;
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
        this.transports.close();
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
