package dev.asyncrpc.spring.autoconfigure;

import java.time.Duration;

import dev.asyncrpc.Ordering;

import org.springframework.util.unit.DataSize;

/**
 * Checks of property values at binding time: a bad value fails start-up with a message that
 * names the property, the value and what was expected.
 */
final class Checks {

    /** The smallest frame size a peer may announce (the core's minimum). */
    static final DataSize MIN_FRAME_SIZE = DataSize.ofKilobytes(1);

    private Checks() {
    }

    static void check(boolean ok, String property, Object value, String expected) {
        if (!ok) {
            throw new IllegalArgumentException(property + ": " + value + " (expected: " + expected + ")");
        }
    }

    static DataSize frameSize(String property, DataSize size) {
        check(size != null && size.compareTo(MIN_FRAME_SIZE) >= 0 && size.toBytes() <= Integer.MAX_VALUE, property, size,
                "between 1KB and 2047MB");
        return size;
    }

    static Duration positive(String property, Duration duration) {
        check(duration != null && !duration.isZero() && !duration.isNegative(), property, duration, "a positive duration");
        return duration;
    }

    static Duration nonNegative(String property, Duration duration) {
        check(duration != null && !duration.isNegative(), property, duration, "a duration of 0 or more; 0 for none");
        return duration;
    }

    static Ordering ordering(String property, Ordering ordering) {
        check(ordering == Ordering.CAUSAL || ordering == Ordering.NONCAUSAL, property, ordering, "causal or noncausal");
        return ordering;
    }
}
