package dev.asyncrpc.spring.autoconfigure.observability;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of asyncrpc's observability, under {@code asyncrpc.observation}, {@code asyncrpc.metrics},
 * {@code asyncrpc.health} and {@code asyncrpc.endpoint}.
 */
@ConfigurationProperties("asyncrpc")
public class AsyncRpcObservabilityProperties {

    /** Micrometer Observation of calls. */
    private final Observation observation = new Observation();

    /** Gauges and counters. */
    private final Metrics metrics = new Metrics();

    /** The asyncrpc health contributor. */
    private final Health health = new Health();

    /** The asyncrpc Actuator endpoint. */
    private final Endpoint endpoint = new Endpoint();

    public Observation getObservation() {
        return this.observation;
    }

    public Metrics getMetrics() {
        return this.metrics;
    }

    public Health getHealth() {
        return this.health;
    }

    public Endpoint getEndpoint() {
        return this.endpoint;
    }

    /** Micrometer Observation of calls. */
    public static class Observation {

        /** Whether to observe every call on both sides with Micrometer Observation (timers, and spans with Micrometer Tracing). */
        private boolean enabled = true;

        public boolean isEnabled() {
            return this.enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /** Gauges and counters. */
    public static class Metrics {

        /** Whether to register asyncrpc's gauges and counters (pending and active calls, connections, cancels, go-aways, Netty direct memory). */
        private boolean enabled = true;

        public boolean isEnabled() {
            return this.enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /** The asyncrpc health contributor. */
    public static class Health {

        /** Whether the asyncrpc health contributor is a member of the readiness group, so that a draining server takes the application out of rotation. */
        private boolean includeInReadiness = true;

        /** How long the health check waits for each client target to answer a ping (connecting, if need be, included); a target that does not answer in time is reported unreachable. */
        private Duration pingTimeout = Duration.ofSeconds(2);

        public Duration getPingTimeout() {
            return this.pingTimeout;
        }

        public void setPingTimeout(Duration pingTimeout) {
            if (pingTimeout == null || pingTimeout.isZero() || pingTimeout.isNegative()) {
                throw new IllegalArgumentException("asyncrpc.health.ping-timeout: " + pingTimeout + " (expected: > 0)");
            }
            this.pingTimeout = pingTimeout;
        }

        public boolean isIncludeInReadiness() {
            return this.includeInReadiness;
        }

        public void setIncludeInReadiness(boolean includeInReadiness) {
            this.includeInReadiness = includeInReadiness;
        }
    }

    /** The asyncrpc Actuator endpoint. */
    public static class Endpoint {

        /** Most pending calls the asyncrpc endpoint lists per client, oldest first (the count is always complete). */
        private int maxPendingCalls = 100;

        public int getMaxPendingCalls() {
            return this.maxPendingCalls;
        }

        public void setMaxPendingCalls(int maxPendingCalls) {
            if (maxPendingCalls < 0) {
                throw new IllegalArgumentException("asyncrpc.endpoint.max-pending-calls: " + maxPendingCalls + " (expected: >= 0)");
            }
            this.maxPendingCalls = maxPendingCalls;
        }
    }
}
