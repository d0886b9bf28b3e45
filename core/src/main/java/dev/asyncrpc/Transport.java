package dev.asyncrpc;

/**
 * The Netty transport of the event loops asyncrpc makes: chosen once per
 * {@link AsyncRpcResources}, {@link AsyncRpcClient} or {@link AsyncRpcServer} that owns its loops.
 * <p>
 * Unix domain socket addresses ({@code unix:/path}) always need Netty's epoll library; in-JVM
 * addresses ({@code local:name}) use Netty's local transport whatever is chosen here.
 */
public enum Transport {

    /**
     * Netty's native epoll transport when its library loads (Linux, with
     * {@code netty-transport-native-epoll} on the class path), otherwise NIO. A library that is
     * present but fails to load is logged once with its cause. The JVM system property
     * {@code -Dasyncrpc.epoll.disabled=true} (kept as an alias) makes {@code AUTO} choose NIO.
     */
    AUTO,

    /** Netty's native epoll transport; building fails, naming the cause, if its library does not load. */
    EPOLL,

    /** Java NIO: works everywhere. */
    NIO
}
