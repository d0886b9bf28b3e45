package dev.asyncrpc.internal.transport;

import java.net.SocketAddress;

import io.netty.channel.Channel;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;

/**
 * Netty's epoll transport, used when its native library is present: faster TCP, and the only way
 * to Unix domain sockets. Every reference to epoll classes stays behind {@link #isLoadable()}.
 */
final class NativeTransport {

    /** The JVM system property that makes {@link dev.asyncrpc.Transport#AUTO} choose NIO (kept as an alias). */
    static final String DISABLED_PROPERTY = "asyncrpc.epoll.disabled";

    private static final boolean PRESENT = present();

    private static final boolean LOADABLE = PRESENT && Epolls.available();

    private NativeTransport() {
    }

    private static boolean present() {
        try {
            Class.forName("io.netty.channel.epoll.Epoll", false, NativeTransport.class.getClassLoader());
            return true;
        }
        catch (ClassNotFoundException | LinkageError ex) {
            return false;
        }
    }

    /** Whether epoll's classes are on the class path (its native library may still fail to load). */
    static boolean isPresent() {
        return PRESENT;
    }

    /** Whether epoll's native library loaded. */
    static boolean isLoadable() {
        return LOADABLE;
    }

    /** Whether {@code -Dasyncrpc.epoll.disabled=true} is set. */
    static boolean isDisabledByProperty() {
        return Boolean.getBoolean(DISABLED_PROPERTY);
    }

    /** Whether {@link dev.asyncrpc.Transport#AUTO} chooses epoll. */
    static boolean isAvailable() {
        return LOADABLE && !isDisabledByProperty();
    }

    /** Why epoll cannot be used, for messages and logs. */
    static String unavailabilityCause() {
        if (!PRESENT) {
            return "netty-transport-native-epoll is not on the classpath (add io.netty:netty-transport-native-epoll with classifier linux-x86_64 or linux-aarch_64)";
        }
        if (!LOADABLE) {
            return Epolls.cause();
        }
        return "disabled by -D" + DISABLED_PROPERTY + "=true";
    }

    /** The exception that stopped the native library from loading, or {@code null}. */
    static Throwable loadFailure() {
        return (PRESENT && !LOADABLE) ? Epolls.failure() : null;
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
        if (!LOADABLE) {
            throw new IllegalArgumentException("address: 'unix:" + path + "' needs Netty's epoll transport, which is unavailable here: " + unavailabilityCause());
        }
        return Epolls.domainSocketAddress(path);
    }

    /** Loaded only when epoll classes are present. */
    private static final class Epolls {

        static boolean available() {
            try {
                return io.netty.channel.epoll.Epoll.isAvailable();
            }
            catch (LinkageError ex) {
                return false;
            }
        }

        static Throwable failure() {
            try {
                return io.netty.channel.epoll.Epoll.unavailabilityCause();
            }
            catch (LinkageError ex) {
                return ex;
            }
        }

        static String cause() {
            Throwable t = failure();
            return (t != null) ? t.toString() : "unknown";
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
