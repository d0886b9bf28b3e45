package dev.asyncrpc.internal.transport;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

import io.netty.channel.local.LocalAddress;

/**
 * Where a server listens or a client connects: {@code host:port} (TCP; {@code [::1]:port} for
 * IPv6), {@code local:name} (in-JVM) or {@code unix:/path} (Unix domain socket).
 *
 * @param kind the transport kind
 * @param host the host (TCP only)
 * @param port the port (TCP only)
 * @param path the local name or socket path
 */
public record Endpoint(Kind kind, String host, int port, String path) {

    /** Transport kinds. */
    public enum Kind {
        TCP, LOCAL, UNIX
    }

    /**
     * Parse an address.
     * @throws IllegalArgumentException naming the bad value and the expected forms
     */
    public static Endpoint parse(String address) {
        if (address == null || address.isBlank()) {
            throw new IllegalArgumentException("address: '" + address + "' (expected: host:port, local:name or unix:/path)");
        }
        String a = address.trim();
        if (a.startsWith("local:")) {
            String name = a.substring(6);
            if (name.isEmpty()) {
                throw new IllegalArgumentException("address: '" + address + "' (expected: local:name with a non-empty name)");
            }
            return new Endpoint(Kind.LOCAL, null, 0, name);
        }
        if (a.startsWith("unix:")) {
            String path = a.substring(5);
            if (path.isEmpty()) {
                throw new IllegalArgumentException("address: '" + address + "' (expected: unix:/path/to/socket)");
            }
            return new Endpoint(Kind.UNIX, null, 0, path);
        }
        int colon = a.lastIndexOf(':');
        if (colon <= 0 || colon == a.length() - 1) {
            throw new IllegalArgumentException("address: '" + address + "' (expected: host:port, local:name or unix:/path)");
        }
        String host = a.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(a.substring(colon + 1));
        }
        catch (NumberFormatException ex) {
            throw new IllegalArgumentException("address: '" + address + "' (expected: a port number after the last ':')", ex);
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("address: '" + address + "' (expected: a port between 0 and 65535)");
        }
        return new Endpoint(Kind.TCP, host, port, null);
    }

    /** The socket address to connect to (DNS names resolved by Netty at connect time). */
    public SocketAddress socketAddress() {
        return switch (this.kind) {
            case TCP -> InetSocketAddress.createUnresolved(this.host, this.port);
            case LOCAL -> new LocalAddress(this.path);
            case UNIX -> NativeTransport.domainSocketAddress(this.path);
        };
    }

    @Override
    public String toString() {
        return switch (this.kind) {
            case TCP -> (this.host.indexOf(':') >= 0 ? "[" + this.host + "]" : this.host) + ":" + this.port;
            case LOCAL -> "local:" + this.path;
            case UNIX -> "unix:" + this.path;
        };
    }
}
