package dev.asyncrpc.spring.autoconfigure.security;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.asyncrpc.ServerCall;

/** A {@link ServerCall} made by hand, for unit tests of the security decision. */
final class FakeCall implements ServerCall {

    private final String service;

    private final String operation;

    private final Map<String, String> metadata = new HashMap<>();

    private List<X509Certificate> certificates = List.of();

    FakeCall(String service, String operation) {
        this.service = service;
        this.operation = operation;
    }

    FakeCall bearer(String token) {
        this.metadata.put("authorization", "Bearer " + token);
        return this;
    }

    FakeCall metadata(String key, String value) {
        this.metadata.put(key, value);
        return this;
    }

    FakeCall certificate(X509Certificate certificate) {
        this.certificates = List.of(certificate);
        return this;
    }

    @Override
    public String service() {
        return this.service;
    }

    @Override
    public String operation() {
        return this.operation;
    }

    @Override
    public boolean isCancelled() {
        return false;
    }

    @Override
    public void onCancel(Runnable action) {
    }

    @Override
    public void onDisconnect(Runnable action) {
    }

    @Override
    public Optional<Instant> deadline() {
        return Optional.empty();
    }

    @Override
    public Optional<Duration> remaining() {
        return Optional.empty();
    }

    @Override
    public String peer() {
        return "127.0.0.1:50000";
    }

    @Override
    public Map<String, String> metadata() {
        return this.metadata;
    }

    @Override
    public List<X509Certificate> peerCertificates() {
        return this.certificates;
    }
}
