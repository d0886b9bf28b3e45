package dev.asyncrpc.internal.transport;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

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
 * Event loop groups and channel types for one client or server. Groups are made lazily per
 * transport kind; {@link #close()} shuts down what was made.
 */
public final class Transports implements AutoCloseable {

    private final String name;
    private final int threads;
    private EventLoopGroup network;
    private EventLoopGroup local;

    /**
     * @param name thread name prefix
     * @param threads event loop threads for network transports (0 = Netty's default)
     */
    public Transports(String name, int threads) {
        this.name = name;
        this.threads = threads;
    }

    public static boolean isNativeAvailable() {
        return NativeTransport.isAvailable();
    }

    public synchronized EventLoopGroup group(Endpoint.Kind kind) {
        if (kind == Endpoint.Kind.LOCAL) {
            if (this.local == null) {
                this.local = new MultiThreadIoEventLoopGroup(1, threadFactory(this.name + "-local"), LocalIoHandler.newFactory());
            }
            return this.local;
        }
        if (kind == Endpoint.Kind.UNIX && !NativeTransport.isAvailable()) {
            throw new IllegalArgumentException("unix: addresses need Netty's epoll transport, which is unavailable here: " + NativeTransport.unavailabilityCause());
        }
        if (this.network == null) {
            IoHandlerFactory factory = NativeTransport.isAvailable() ? NativeTransport.ioHandlerFactory() : NioIoHandler.newFactory();
            this.network = new MultiThreadIoEventLoopGroup(this.threads, threadFactory(this.name), factory);
        }
        return this.network;
    }

    public Class<? extends Channel> channelType(Endpoint.Kind kind) {
        return switch (kind) {
            case LOCAL -> LocalChannel.class;
            case UNIX -> NativeTransport.domainSocketChannel();
            case TCP -> NativeTransport.isAvailable() ? NativeTransport.socketChannel() : NioSocketChannel.class;
        };
    }

    public Class<? extends ServerChannel> serverChannelType(Endpoint.Kind kind) {
        return switch (kind) {
            case LOCAL -> LocalServerChannel.class;
            case UNIX -> NativeTransport.serverDomainSocketChannel();
            case TCP -> NativeTransport.isAvailable() ? NativeTransport.serverSocketChannel() : NioServerSocketChannel.class;
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

    @Override
    public synchronized void close() {
        if (this.network != null) {
            this.network.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            this.network = null;
        }
        if (this.local != null) {
            this.local.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            this.local = null;
        }
    }
}
