package dev.asyncrpc.internal.client.lb;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter for reconnecting to an endpoint: the first retry after
 * {@code initial}, each further one twice as late, at most {@code max}, each delay spread by
 * ±20% so that many clients do not reconnect in step.
 *
 * @param initial the delay after the first failure
 * @param max the largest delay
 */
public record Backoff(Duration initial, Duration max) {

    /** 100 ms, doubling up to 5 s. */
    public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));

    public Backoff {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff: " + initial + ".." + max + " (expected: 0 < initial <= max)");
        }
    }

    /**
     * The delay before the next attempt.
     * @param failures consecutive failures so far, at least 1
     * @return the delay in nanoseconds
     */
    public long delayNanos(int failures) {
        long base = this.initial.toNanos();
        long max = this.max.toNanos();
        int shift = Math.min(Math.max(failures, 1) - 1, 30);
        long delay = (base > (max >> shift)) ? max : Math.min(max, base << shift);
        double spread = 0.8 + 0.4 * ThreadLocalRandom.current().nextDouble();
        return (long) (delay * spread);
    }
}
