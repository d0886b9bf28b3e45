package dev.asyncrpc.spring.autoconfigure.security;

import java.util.Locale;

/**
 * Whether a client may send a bearer token without TLS: only to addresses that never leave the
 * machine ({@code unix:}, {@code local:}, {@code localhost} and loopback IP literals), unless the
 * user allowed it. Host names are not resolved here; any name but {@code localhost} counts as remote.
 */
final class PlaintextGuard {

    private PlaintextGuard() {
    }

    /**
     * Whether every endpoint of {@code address} stays on this machine.
     * @param address a client address: entries {@code host:port}, {@code [v6]:port},
     *        {@code unix:/path} or {@code local:name}, separated by commas
     * @return whether all of them are local
     */
    static boolean isLocal(String address) {
        for (String entry : address.split(",")) {
            if (!isLocalEntry(entry.trim())) {
                return false;
            }
        }
        return true;
    }

    private static boolean isLocalEntry(String entry) {
        String lower = entry.toLowerCase(Locale.ROOT);
        if (lower.startsWith("unix:") || lower.startsWith("local:")) {
            return true;
        }
        String host;
        if (lower.startsWith("[")) {
            int end = lower.indexOf(']');
            host = (end > 0) ? lower.substring(1, end) : lower;
        }
        else {
            int colon = lower.lastIndexOf(':');
            host = (colon >= 0) ? lower.substring(0, colon) : lower;
        }
        return host.equals("localhost") || host.equals("::1") || host.equals("0:0:0:0:0:0:0:1") || isLoopbackIpv4(host);
    }

    private static boolean isLoopbackIpv4(String host) {
        String[] parts = host.split("\\.");
        if (parts.length != 4 || !parts[0].equals("127")) {
            return false;
        }
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit) || Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }
}
