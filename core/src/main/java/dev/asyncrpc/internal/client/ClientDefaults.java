package dev.asyncrpc.internal.client;

import java.time.Duration;

import dev.asyncrpc.Ordering;

/**
 * A client's defaults for calls, below per-proxy options and per-operation annotations.
 *
 * @param timeout the default timeout, or {@code null} for none (Microsoft RPC has none for async calls)
 * @param ordering the default ordering ({@link Ordering#CAUSAL} unless configured)
 * @param maxMetadataSize the largest metadata block sent
 */
public record ClientDefaults(Duration timeout, Ordering ordering, int maxMetadataSize) {

    public ClientDefaults {
        if (ordering == Ordering.DEFAULT) {
            ordering = Ordering.CAUSAL;
        }
    }
}
