package dev.asyncrpc.internal.client.lb;

import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.asyncrpc.AddressResolver;
import dev.asyncrpc.internal.transport.Endpoint;
import io.netty.util.NetUtil;

/**
 * The address of a balanced target as configured: one or more entries separated by commas, each
 * {@code host:port}, {@code local:name} or {@code unix:/path}. With a resolver, each TCP entry
 * with a host name stands for every address the resolver returns for it, asked again on every
 * {@link #resolve}; without one, entries are endpoints as written (Netty resolves names when it
 * connects).
 */
public final class AddressList {

    private final String text;
    private final List<Endpoint> entries;
    /** The last good answer per name, kept while a resolution fails. */
    private final Map<Endpoint, List<Endpoint>> lastGood = new HashMap<>();

    private AddressList(String text, List<Endpoint> entries) {
        this.text = text;
        this.entries = entries;
    }

    /**
     * Parse {@code address} (comma-separated).
     * @param address the address
     * @return the list
     * @throws IllegalArgumentException naming the bad entry and the expected forms
     */
    public static AddressList parse(String address) {
        if (address == null || address.isBlank()) {
            throw new IllegalArgumentException("address: '" + address + "' (expected: host:port, local:name or unix:/path, or several separated by commas)");
        }
        List<Endpoint> entries = new ArrayList<>();
        for (String part : address.split(",")) {
            if (part.isBlank()) {
                throw new IllegalArgumentException("address: '" + address + "' has an empty entry (expected: entries separated by single commas)");
            }
            entries.add(Endpoint.parse(part.trim()));
        }
        return new AddressList(String.join(",", entries.stream().map(Endpoint::toString).toList()), List.copyOf(entries));
    }

    /**
     * The entries as written.
     * @return the entries
     */
    public List<Endpoint> entries() {
        return this.entries;
    }

    /** Whether there is more than one entry. */
    public boolean isList() {
        return this.entries.size() > 1;
    }

    /**
     * The endpoints now: TCP entries with a host name resolved through {@code resolver}. A name
     * that cannot be resolved keeps its last good answer (none before the first). Blocking.
     * @param resolver the resolver
     * @param failures receives a message per name that could not be resolved
     * @return the endpoints, without duplicates
     */
    public synchronized List<Endpoint> resolve(AddressResolver resolver, List<String> failures) {
        Set<Endpoint> result = new LinkedHashSet<>();
        for (Endpoint e : this.entries) {
            if (e.kind() != Endpoint.Kind.TCP || NetUtil.isValidIpV4Address(e.host()) || NetUtil.isValidIpV6Address(e.host())) {
                result.add(e);
                continue;
            }
            try {
                List<InetSocketAddress> found = resolver.resolve(e.host(), e.port());
                List<Endpoint> now = new ArrayList<>(found.size());
                for (InetSocketAddress a : found) {
                    String host = (a.getAddress() != null) ? a.getAddress().getHostAddress() : a.getHostString();
                    int scope = host.indexOf('%');
                    now.add(new Endpoint(Endpoint.Kind.TCP, (scope >= 0) ? host.substring(0, scope) : host, a.getPort(), null));
                }
                this.lastGood.put(e, now);
                result.addAll(now);
            }
            catch (UnknownHostException | RuntimeException ex) {
                failures.add("cannot resolve " + e.host() + ": " + ex.getMessage());
                result.addAll(this.lastGood.getOrDefault(e, List.of()));
            }
        }
        return new ArrayList<>(result);
    }

    @Override
    public String toString() {
        return this.text;
    }
}
