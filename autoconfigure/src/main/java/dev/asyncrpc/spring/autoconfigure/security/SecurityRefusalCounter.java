package dev.asyncrpc.spring.autoconfigure.security;

import java.util.function.Consumer;

import dev.asyncrpc.Status;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;

/**
 * Counts the calls the server's security refused, by status: the counter
 * {@code asyncrpc.server.security.refused} with the tag {@code status}
 * ({@code UNAUTHENTICATED} or {@code PERMISSION_DENIED}). Never tagged with anything a caller sent.
 */
final class SecurityRefusalCounter implements Consumer<Status> {

    static final String NAME = "asyncrpc.server.security.refused";

    private final ObjectProvider<MeterRegistry> registries;

    SecurityRefusalCounter(ObjectProvider<MeterRegistry> registries) {
        this.registries = registries;
    }

    @Override
    public void accept(Status status) {
        MeterRegistry registry = this.registries.getIfAvailable();
        if (registry != null) {
            registry.counter(NAME, "status", status.name()).increment();
        }
    }
}
