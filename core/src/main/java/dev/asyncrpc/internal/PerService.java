package dev.asyncrpc.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * Registrations that apply to every service or to one, resolved once per service: a service's
 * list holds the global ones and its own, in the order they were registered. Immutable. Used for
 * the interceptors of clients and servers.
 *
 * @param <T> what is registered
 */
public final class PerService<T> {

    private final T[] global;

    private final Map<String, T[]> byService = new HashMap<>();

    /**
     * @param entries the registrations in order: a service name ({@code null} for every service) and its value
     * @param array makes an array of the given length
     */
    public PerService(List<Map.Entry<String, T>> entries, IntFunction<T[]> array) {
        List<T> all = new ArrayList<>();
        Set<String> services = new LinkedHashSet<>();
        for (Map.Entry<String, T> e : entries) {
            Objects.requireNonNull(e.getValue(), "interceptor");
            if (e.getKey() == null) {
                all.add(e.getValue());
            }
            else {
                services.add(e.getKey());
            }
        }
        this.global = all.toArray(array.apply(0));
        for (String service : services) {
            List<T> chain = new ArrayList<>();
            for (Map.Entry<String, T> e : entries) {
                if (e.getKey() == null || e.getKey().equals(service)) {
                    chain.add(e.getValue());
                }
            }
            this.byService.put(service, chain.toArray(array.apply(0)));
        }
    }

    /** What applies to {@code service}, in order (the global ones when it has none of its own). */
    public T[] forService(String service) {
        T[] chain = this.byService.isEmpty() ? null : this.byService.get(service);
        return (chain != null) ? chain : this.global;
    }
}
