package dev.asyncrpc;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Per-proxy call options, immutable; each {@code withX} returns a copy. An operation's
 * {@link AsyncRemote} settings win over these, and these win over the client's defaults.
 * <pre>{@code
 * InventoryAsync inv = client.proxy(InventoryAsync.class, CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(2)));
 * }</pre>
 */
public final class CallOptions {

    /** No timeout, the client's ordering, no metadata. */
    public static final CallOptions DEFAULT = new CallOptions(null, Ordering.DEFAULT, Map.of());

    private final Duration timeout;
    private final Ordering ordering;
    private final Map<String, String> metadata;

    private CallOptions(Duration timeout, Ordering ordering, Map<String, String> metadata) {
        this.timeout = timeout;
        this.ordering = ordering;
        this.metadata = metadata;
    }

    /**
     * The time a call may take before it fails with {@link Status#DEADLINE_EXCEEDED} (the server is
     * told); {@code null} for none.
     * @param timeout the timeout, positive, or {@code null}
     * @return a copy with the timeout
     */
    public CallOptions withTimeout(Duration timeout) {
        if (timeout != null && (timeout.isZero() || timeout.isNegative())) {
            throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0, or null for none)");
        }
        return new CallOptions(timeout, this.ordering, this.metadata);
    }

    /**
     * The dispatch ordering of calls made through the proxy.
     * @param ordering the ordering
     * @return a copy with the ordering
     */
    public CallOptions withOrdering(Ordering ordering) {
        return new CallOptions(this.timeout, Objects.requireNonNull(ordering, "ordering"), this.metadata);
    }

    /**
     * Add a metadata entry sent with every call (the implementation reads {@link ServerCall#metadata()}).
     * @param key the key
     * @param value the value
     * @return a copy with the entry
     */
    public CallOptions withMetadata(String key, String value) {
        Map<String, String> m = new LinkedHashMap<>(this.metadata);
        m.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
        return new CallOptions(this.timeout, this.ordering, Map.copyOf(m));
    }

    /**
     * The timeout, or {@code null}.
     * @return the timeout
     */
    public Duration timeout() {
        return this.timeout;
    }

    /**
     * The ordering.
     * @return the ordering
     */
    public Ordering ordering() {
        return this.ordering;
    }

    /**
     * The metadata.
     * @return the metadata
     */
    public Map<String, String> metadata() {
        return this.metadata;
    }
}
