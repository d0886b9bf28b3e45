package dev.asyncrpc.internal.transport;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.asyncrpc.Transport;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.local.LocalServerChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * Event loop groups and channel types of one owner (a client, a server, or shared resources).
 * The transport is chosen when this is made; groups are made lazily per transport kind, and their
 * threads start as channels register; {@link #close()} shuts down what was made.
 */
public final class Transports implements AutoCloseable {

    private static final System.Logger logger = System.getLogger(Transports.class.getName());

    /** Whether the fallback of {@link Transport#AUTO} to NIO has been logged (once per JVM). */
    private static final AtomicBoolean fallbackLogged = new AtomicBoolean();

    private final String name;
    private final int threads;
    private final Transport transport;
    private EventLoopGroup network;
    private EventLoopGroup unix;
    private EventLoopGroup local;
    private volatile boolean closed;

    /**
     * Event loops with the {@link Transport#AUTO} choice.
     * @param name thread name prefix
     * @param threads event loop threads for network transports (0 = Netty's default)
     */
    public Transports(String name, int threads) {
        this(name, threads, Transport.AUTO);
    }

    /**
     * @param name thread name prefix
     * @param threads event loop threads for network transports (0 = Netty's default)
     * @param preference the transport asked for
     * @throws IllegalStateException if {@link Transport#EPOLL} is asked for and cannot load, naming the cause
     */
    public Transports(String name, int threads, Transport preference) {
        this.name = name;
        this.threads = threads;
        this.transport = resolve(preference);
    }

    /**
     * What {@code preference} means here: {@link Transport#EPOLL} or {@link Transport#NIO}.
     * {@link Transport#AUTO} falling back to NIO because the native library failed to load is
     * logged once, with the cause.
     * @throws IllegalStateException if {@link Transport#EPOLL} is asked for and cannot load
     */
    public static Transport resolve(Transport preference) {
        return switch (preference) {
            case NIO -> Transport.NIO;
            case EPOLL -> {
                if (!NativeTransport.isLoadable()) {
                    throw new IllegalStateException("transport: EPOLL cannot be used here (expected: AUTO or NIO, or a working epoll library): "
                            + NativeTransport.unavailabilityCause(), NativeTransport.loadFailure());
                }
                yield Transport.EPOLL;
            }
            case AUTO -> {
                if (NativeTransport.isAvailable()) {
                    yield Transport.EPOLL;
                }
                logFallback();
                yield Transport.NIO;
            }
        };
    }

    private static void logFallback() {
        if (!fallbackLogged.compareAndSet(false, true)) {
            return;
        }
        Throwable failure = NativeTransport.loadFailure();
        if (failure != null) {
            logger.log(System.Logger.Level.WARNING, "Netty's epoll library is on the class path but failed to load; asyncrpc uses NIO: "
                    + failure, failure);
        }
        else if (NativeTransport.isPresent() && NativeTransport.isDisabledByProperty()) {
            logger.log(System.Logger.Level.INFO, "asyncrpc uses NIO: epoll is disabled by -D" + NativeTransport.DISABLED_PROPERTY
                    + "=true (an alias of transport NIO)");
        }
        else {
            logger.log(System.Logger.Level.INFO, "asyncrpc uses NIO: " + NativeTransport.unavailabilityCause());
        }
    }

    /** Whether Netty's epoll library loaded (what Unix domain sockets need). */
    public static boolean isNativeAvailable() {
        return NativeTransport.isLoadable();
    }

    /** The transport of the network event loops: {@link Transport#EPOLL} or {@link Transport#NIO}. */
    public Transport transport() {
        return this.transport;
    }

    /** Event loop threads of the network group, as configured (0 = Netty's default). */
    public int threads() {
        return this.threads;
    }

    /**
     * The group for {@code kind}, made on first use.
     * @throws IllegalStateException if closed
     * @throws IllegalArgumentException for a Unix domain socket without the epoll library
     */
    public synchronized EventLoopGroup group(Endpoint.Kind kind) {
        if (this.closed) {
            throw new IllegalStateException("the event loops of " + this.name + " are closed");
        }
        if (kind == Endpoint.Kind.LOCAL) {
            if (this.local == null) {
                this.local = new MultiThreadIoEventLoopGroup(1, threadFactory(this.name + "-local"), LocalIoHandler.newFactory());
            }
            return this.local;
        }
        if (kind == Endpoint.Kind.UNIX) {
            if (!NativeTransport.isLoadable()) {
                throw new IllegalArgumentException("unix: addresses need Netty's epoll transport, which is unavailable here: " + NativeTransport.unavailabilityCause());
            }
            if (this.transport != Transport.EPOLL) {
                if (this.unix == null) {
                    this.unix = new MultiThreadIoEventLoopGroup(1, threadFactory(this.name + "-unix"), NativeTransport.ioHandlerFactory());
                }
                return this.unix;
            }
        }
        if (this.network == null) {
            IoHandlerFactory factory = (this.transport == Transport.EPOLL) ? NativeTransport.ioHandlerFactory() : NioIoHandler.newFactory();
            this.network = new MultiThreadIoEventLoopGroup(this.threads, threadFactory(this.name), factory);
        }
        return this.network;
    }

    public Class<? extends Channel> channelType(Endpoint.Kind kind) {
        return switch (kind) {
            case LOCAL -> LocalChannel.class;
            case UNIX -> NativeTransport.domainSocketChannel();
            case TCP -> (this.transport == Transport.EPOLL) ? NativeTransport.socketChannel() : NioSocketChannel.class;
        };
    }

    public Class<? extends ServerChannel> serverChannelType(Endpoint.Kind kind) {
        return switch (kind) {
            case LOCAL -> LocalServerChannel.class;
            case UNIX -> NativeTransport.serverDomainSocketChannel();
            case TCP -> (this.transport == Transport.EPOLL) ? NativeTransport.serverSocketChannel() : NioServerSocketChannel.class;
        };
    }

    private static ThreadFactory threadFactory(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    public boolean isClosed() {
        return this.closed;
    }

    /** Shut down every group made (waiting up to 2 s each); later {@link #group} calls fail. */
    @Override
    public synchronized void close() {
        this.closed = true;
        for (EventLoopGroup g : new EventLoopGroup[] { this.network, this.unix, this.local }) {
            if (g != null) {
                g.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            }
        }
        this.network = null;
        this.unix = null;
        this.local = null;
    }
}
