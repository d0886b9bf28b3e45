package dev.asyncrpc.internal.server;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.asyncrpc.ServerCall;

/**
 * The {@link ServerCall} view of one server call, as its implementation and interceptors see it: its
 * operation, deadline, peer, metadata and principal, its cancel and disconnect actions (wrapped in the
 * call's contexts, run by {@link CallLifecycle}), and the wrapping of tasks in the call's contexts.
 * {@link ServerCallContext} extends it (the call is one object).
 */
abstract class CallView extends CallLifecycle implements ServerCall {

    final ServerMethod method;
    final ServerConnection connection;
    private final long deadlineNanos;
    private final long deadlineEpochMillis;
    private final Map<String, String> metadata;

    /** The call's pass through its interceptors, or {@code null} when its service has none; set before it runs. */
    volatile Interception interception;

    /** @param timeoutMillis the caller's timeout, from now; negative for none */
    CallView(ServerMethod method, ServerConnection connection, long timeoutMillis, Map<String, String> metadata) {
        this.method = method;
        this.connection = connection;
        this.metadata = metadata;
        if (timeoutMillis >= 0) {
            this.deadlineNanos = System.nanoTime() + timeoutMillis * 1_000_000L;
            this.deadlineEpochMillis = System.currentTimeMillis() + timeoutMillis;
        }
        else {
            this.deadlineNanos = 0;
            this.deadlineEpochMillis = 0;
        }
    }

    boolean hasDeadline() {
        return this.deadlineEpochMillis != 0;
    }

    long remainingNanos() {
        return Math.max(0, this.deadlineNanos - System.nanoTime());
    }

    @Override
    public String service() {
        return this.method.model.service();
    }

    @Override
    public String operation() {
        return this.method.model.name();
    }

    @Override
    public void onCancel(Runnable action) {
        addCancelAction(wrap(action));
    }

    @Override
    public void onDisconnect(Runnable action) {
        addDisconnectAction(wrap(action));
    }

    @Override
    public Optional<Instant> deadline() {
        return hasDeadline() ? Optional.of(Instant.ofEpochMilli(this.deadlineEpochMillis)) : Optional.empty();
    }

    @Override
    public Optional<Duration> remaining() {
        return hasDeadline() ? Optional.of(Duration.ofNanos(remainingNanos())) : Optional.empty();
    }

    @Override
    public String peer() {
        return this.connection.peer();
    }

    @Override
    public Map<String, String> metadata() {
        return this.metadata;
    }

    @Override
    public List<java.security.cert.X509Certificate> peerCertificates() {
        return this.connection.peerCertificates();
    }

    @Override
    public Optional<java.security.Principal> principal() {
        Interception intercepted = this.interception;
        if (intercepted != null) {
            Optional<java.security.Principal> set = intercepted.principalValue();
            if (set.isPresent()) {
                return set;
            }
        }
        List<java.security.cert.X509Certificate> chain = peerCertificates();
        return chain.isEmpty() ? Optional.empty() : Optional.of(chain.get(0).getSubjectX500Principal());
    }

    @Override
    public Runnable wrap(Runnable task) {
        java.util.Objects.requireNonNull(task, "task");
        Interception intercepted = this.interception;
        if (intercepted == null) {
            return task;
        }
        return () -> {
            try (dev.asyncrpc.CallContext.Scope scope = intercepted.open()) {
                task.run();
            }
        };
    }
}
