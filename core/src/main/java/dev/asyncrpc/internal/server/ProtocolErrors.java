package dev.asyncrpc.internal.server;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the protocol errors of one server by kind and logs them, at most one line per
 * {@link #LOG_INTERVAL_NANOS} (the lines skipped meanwhile are counted in the next one), so that
 * an attack leaves a trace without flooding the log. Any thread.
 */
final class ProtocolErrors {

    static final long LOG_INTERVAL_NANOS = 1_000_000_000L;

    private static final System.Logger logger = System.getLogger(ProtocolErrors.class.getName());

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final AtomicLong nextLogNanos = new AtomicLong(System.nanoTime());
    private final AtomicLong suppressed = new AtomicLong();

    /** Count one error and log it unless a line was logged within the last interval. */
    void record(String kind, String peer, String message) {
        this.counts.computeIfAbsent(kind, k -> new LongAdder()).increment();
        long now = System.nanoTime();
        long next = this.nextLogNanos.get();
        if (now - next >= 0 && this.nextLogNanos.compareAndSet(next, now + LOG_INTERVAL_NANOS)) {
            long skipped = this.suppressed.getAndSet(0);
            logger.log(System.Logger.Level.WARNING, "protocol error (" + kind + ") from " + peer + ": " + message
                    + ((skipped > 0) ? " [" + skipped + " more protocol errors not logged in the last second]" : ""));
        }
        else {
            this.suppressed.incrementAndGet();
        }
    }

    /** The counts by kind, sorted by kind: a snapshot. */
    Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        this.counts.forEach((k, v) -> out.put(k, v.sum()));
        return java.util.Collections.unmodifiableMap(out);
    }
}
