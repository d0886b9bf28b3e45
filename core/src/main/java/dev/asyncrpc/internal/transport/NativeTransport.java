package dev.asyncrpc.internal.transport;

import java.net.SocketAddress;

import io.netty.channel.Channel;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;

/**
 * Netty's epoll transport, used when its native library is present: faster TCP, and the only way
 * to Unix domain sockets. Every reference to epoll classes stays behind {@link #isAvailable()}.
 */
final class NativeTransport {

    private static final boolean AVAILABLE = probe();

    private NativeTransport() {
    }

    private static boolean probe() {
        try {
            Class.forName("io.netty.channel.epoll.Epoll", false, NativeTransport.class.getClassLoader());
            return Epolls.available();
        }
        catch (ClassNotFoundException | LinkageError ex) {
            return false;
        }
    }

    static boolean isAvailable() {
        return AVAILABLE && !Boolean.getBoolean("asyncrpc.epoll.disabled");
    }

    static String unavailabilityCause() {
        try {
            Class.forName("io.netty.channel.epoll.Epoll", false, NativeTransport.class.getClassLoader());
            return Epolls.cause();
        }
        catch (ClassNotFoundException | LinkageError ex) {
            return "netty-transport-native-epoll is not on the classpath (add io.netty:netty-transport-native-epoll with classifier linux-x86_64 or linux-aarch_64)";
        }
    }

    static IoHandlerFactory ioHandlerFactory() {
        return Epolls.factory();
    }

    static Class<? extends Channel> socketChannel() {
        return Epolls.socketChannel();
    }

    static Class<? extends ServerChannel> serverSocketChannel() {
        return Epolls.serverSocketChannel();
    }

    static Class<? extends Channel> domainSocketChannel() {
        return Epolls.domainSocketChannel();
    }

    static Class<? extends ServerChannel> serverDomainSocketChannel() {
        return Epolls.serverDomainSocketChannel();
    }

    static SocketAddress domainSocketAddress(String path) {
        if (!isAvailable()) {
            throw new IllegalArgumentException("address: 'unix:" + path + "' needs Netty's epoll transport, which is unavailable here: " + unavailabilityCause());
        }
        return Epolls.domainSocketAddress(path);
    }

    /** Loaded only when epoll classes are present. */
    private static final class Epolls {

        static boolean available() {
            return io.netty.channel.epoll.Epoll.isAvailable();
        }

        static String cause() {
            Throwable t = io.netty.channel.epoll.Epoll.unavailabilityCause();
            return (t != null) ? t.toString() : "disabled by -Dasyncrpc.epoll.disabled=true";
        }

        static IoHandlerFactory factory() {
            return io.netty.channel.epoll.EpollIoHandler.newFactory();
        }

        static Class<? extends Channel> socketChannel() {
            return io.netty.channel.epoll.EpollSocketChannel.class;
        }

        static Class<? extends ServerChannel> serverSocketChannel() {
            return io.netty.channel.epoll.EpollServerSocketChannel.class;
        }

        static Class<? extends Channel> domainSocketChannel() {
            return io.netty.channel.epoll.EpollDomainSocketChannel.class;
        }

        static Class<? extends ServerChannel> serverDomainSocketChannel() {
            return io.netty.channel.epoll.EpollServerDomainSocketChannel.class;
        }

        static SocketAddress domainSocketAddress(String path) {
            return new io.netty.channel.unix.DomainSocketAddress(path);
        }
    }
}
