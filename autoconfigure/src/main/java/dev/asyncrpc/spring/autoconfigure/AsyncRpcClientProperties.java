package dev.asyncrpc.spring.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Settings of asyncrpc clients, under {@code asyncrpc.client}: shared defaults, and per remote
 * service ({@code asyncrpc.client.services.<name>.*}) the address and any default to override.
 */
@ConfigurationProperties("asyncrpc.client")
public class AsyncRpcClientProperties {

    /** Whether to create clients for the remote services imported with @ImportRemoteServices. */
    private boolean enabled = true;

    /** Settings every service's client uses unless the service overrides them. */
    private final Defaults defaults = new Defaults();

    /** Remote services by service name: address ('host:port', 'unix:/path' or 'local:name'), connect-timeout, handshake-timeout, max-frame-size. */
    private final Map<String, Service> services = new LinkedHashMap<>();

    public boolean isEnabled() {
        return this.enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Defaults getDefaults() {
        return this.defaults;
    }

    public Map<String, Service> getServices() {
        return this.services;
    }

    /** Client settings shared by every remote service. */
    public static class Defaults {

        /** How long a connection attempt may take. */
        private Duration connectTimeout = Duration.ofSeconds(10);

        /** How long the server may take to answer the protocol handshake. */
        private Duration handshakeTimeout = Duration.ofSeconds(10);

        /** Largest frame accepted from a server. */
        private DataSize maxFrameSize = DataSize.ofMegabytes(16);

        /** Netty event loop threads of each service's client. */
        private int ioThreads = 1;

        public Duration getConnectTimeout() {
            return this.connectTimeout;
        }

        public void setConnectTimeout(Duration connectTimeout) {
            this.connectTimeout = Checks.positive("asyncrpc.client.defaults.connect-timeout", connectTimeout);
        }

        public Duration getHandshakeTimeout() {
            return this.handshakeTimeout;
        }

        public void setHandshakeTimeout(Duration handshakeTimeout) {
            this.handshakeTimeout = Checks.positive("asyncrpc.client.defaults.handshake-timeout", handshakeTimeout);
        }

        public DataSize getMaxFrameSize() {
            return this.maxFrameSize;
        }

        public void setMaxFrameSize(DataSize maxFrameSize) {
            this.maxFrameSize = Checks.frameSize("asyncrpc.client.defaults.max-frame-size", maxFrameSize);
        }

        public int getIoThreads() {
            return this.ioThreads;
        }

        public void setIoThreads(int ioThreads) {
            Checks.check(ioThreads > 0, "asyncrpc.client.defaults.io-threads", ioThreads, "> 0");
            this.ioThreads = ioThreads;
        }
    }

    /** Client settings of one remote service; an unset value falls back to the defaults. */
    public static class Service {

        /** Address of the service: 'host:port', 'unix:/path' or 'local:name'. */
        private @Nullable String address;

        /** How long a connection attempt may take; the default's when unset. */
        private @Nullable Duration connectTimeout;

        /** How long the server may take to answer the handshake; the default's when unset. */
        private @Nullable Duration handshakeTimeout;

        /** Largest frame accepted from the server; the default's when unset. */
        private @Nullable DataSize maxFrameSize;

        public @Nullable String getAddress() {
            return this.address;
        }

        public void setAddress(@Nullable String address) {
            this.address = address;
        }

        public @Nullable Duration getConnectTimeout() {
            return this.connectTimeout;
        }

        public void setConnectTimeout(@Nullable Duration connectTimeout) {
            this.connectTimeout = (connectTimeout != null) ? Checks.positive("asyncrpc.client.services.<name>.connect-timeout", connectTimeout) : null;
        }

        public @Nullable Duration getHandshakeTimeout() {
            return this.handshakeTimeout;
        }

        public void setHandshakeTimeout(@Nullable Duration handshakeTimeout) {
            this.handshakeTimeout = (handshakeTimeout != null) ? Checks.positive("asyncrpc.client.services.<name>.handshake-timeout", handshakeTimeout) : null;
        }

        public @Nullable DataSize getMaxFrameSize() {
            return this.maxFrameSize;
        }

        public void setMaxFrameSize(@Nullable DataSize maxFrameSize) {
            this.maxFrameSize = (maxFrameSize != null) ? Checks.frameSize("asyncrpc.client.services.<name>.max-frame-size", maxFrameSize) : null;
        }
    }
}
