package dev.asyncrpc;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a host name of a client's address into the socket addresses behind it. A client with a
 * {@linkplain AsyncRpcClient.Builder#refreshInterval(java.time.Duration) refresh interval} asks it
 * again on every interval, so that a name with several records (a Kubernetes headless Service) is
 * followed as pods come and go; calls are balanced over every address returned.
 * <p>
 * The default, {@link #system()}, asks the JVM ({@link InetAddress#getAllByName(String)}), whose
 * cache keeps an answer for {@code networkaddress.cache.ttl} seconds (30 by default): keep that
 * below the refresh interval. Tests and service registries supply their own; a resolver may return
 * other ports than the one asked for. It runs on a background thread of the client and may block.
 */
@FunctionalInterface
public interface AddressResolver {

    /**
     * The addresses behind {@code host}.
     * @param host the host name, as written in the client's address
     * @param port the port written with it
     * @return the socket addresses, possibly empty (the name has no endpoint now)
     * @throws UnknownHostException if the name cannot be resolved now; the client keeps the
     *         addresses it had for this name and asks again on the next interval
     */
    List<InetSocketAddress> resolve(String host, int port) throws UnknownHostException;

    /**
     * The JVM's resolver: every address record of the name, each with the given port.
     * @return the resolver
     */
    static AddressResolver system() {
        return (host, port) -> {
            InetAddress[] all = InetAddress.getAllByName(host);
            List<InetSocketAddress> result = new ArrayList<>(all.length);
            for (InetAddress a : all) {
                result.add(new InetSocketAddress(a, port));
            }
            return result;
        };
    }
}
