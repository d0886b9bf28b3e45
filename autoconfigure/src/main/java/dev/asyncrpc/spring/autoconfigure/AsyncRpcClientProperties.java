package dev.asyncrpc.spring.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.asyncrpc.Ordering;
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

    /** Remote services by service name: address ('host:port', 'unix:/path' or 'local:name', or several separated by commas), refresh-interval, and any default to override (timeout, ordering, ssl, ...). */
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

        /** Pipe window of the out-pipes each client receives: the bytes of one pipe's data a server may have sent before the client returns credit, which bounds the memory each pipe takes; one element may take at most half of it. */
        private DataSize pipeWindow = DataSize.ofMegabytes(1);

        /** Netty event loop threads of each service's client; used only when there is no shared AsyncRpcResources bean (replaced by asyncrpc.resources.io-threads). */
        private int ioThreads = 1;

        /** How long a call may take before it fails with DEADLINE_EXCEEDED (the server is told); no limit when unset, as in Microsoft RPC. */
        private @Nullable Duration timeout;

        /** Dispatch ordering of calls made from one thread: causal (in issue order) or noncausal (independently). */
        private Ordering ordering = Ordering.CAUSAL;

        /** TLS settings every service's client uses unless the service overrides them. */
        private final Ssl ssl = new Ssl();

        /** Credentials every service's client sends unless the service sets its own. */
        private final Auth auth = new Auth();

        /** How long a frame from the server may take to arrive once its first bytes have; the connection is then closed and its calls fail with UNAVAILABLE. 0 for no limit. */
        private Duration frameReadTimeout = Duration.ofSeconds(30);

        /** How long a connection with no call in progress stays open before the client closes it (the next call opens a new one); 0 for never. */
        private Duration idleTimeout = Duration.ofSeconds(0);

        /** Outbound data limits of each connection. */
        private final WriteBuffer writeBuffer = new WriteBuffer();

        /** Keepalive: how dead, paused or half-open servers are detected; their pending calls fail with UNAVAILABLE. */
        private final Keepalive keepalive = new Keepalive();

        public Duration getFrameReadTimeout() {
            return this.frameReadTimeout;
        }

        public void setFrameReadTimeout(Duration frameReadTimeout) {
            this.frameReadTimeout = Checks.nonNegative("asyncrpc.client.defaults.frame-read-timeout", frameReadTimeout);
        }

        public Duration getIdleTimeout() {
            return this.idleTimeout;
        }

        public void setIdleTimeout(Duration idleTimeout) {
            this.idleTimeout = Checks.nonNegative("asyncrpc.client.defaults.idle-timeout", idleTimeout);
        }

        public WriteBuffer getWriteBuffer() {
            return this.writeBuffer;
        }

        public Keepalive getKeepalive() {
            return this.keepalive;
        }

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

        public DataSize getPipeWindow() {
            return this.pipeWindow;
        }

        public void setPipeWindow(DataSize pipeWindow) {
            this.pipeWindow = Checks.frameSize("asyncrpc.client.defaults.pipe-window", pipeWindow);
        }

        @org.springframework.boot.context.properties.DeprecatedConfigurationProperty(replacement = "asyncrpc.resources.io-threads",
                reason = "Clients share the event loops of the AsyncRpcResources bean", since = "0.2")
        public int getIoThreads() {
            return this.ioThreads;
        }

        public void setIoThreads(int ioThreads) {
            Checks.check(ioThreads > 0, "asyncrpc.client.defaults.io-threads", ioThreads, "> 0");
            this.ioThreads = ioThreads;
        }

        public @Nullable Duration getTimeout() {
            return this.timeout;
        }

        public void setTimeout(@Nullable Duration timeout) {
            this.timeout = (timeout != null) ? Checks.positive("asyncrpc.client.defaults.timeout", timeout) : null;
        }

        public Ordering getOrdering() {
            return this.ordering;
        }

        public void setOrdering(Ordering ordering) {
            this.ordering = Checks.ordering("asyncrpc.client.defaults.ordering", ordering);
        }

        public Ssl getSsl() {
            return this.ssl;
        }

        public Auth getAuth() {
            return this.auth;
        }
    }

    /** Client credentials shared by every remote service. */
    public static class Auth {

        /** Static bearer token sent with every call in the 'authorization' metadata entry; never logged. */
        private @Nullable String bearerToken;

        /** Id of a Spring Security OAuth2 client registration (spring.security.oauth2.client.registration.<id>, client_credentials grant) whose access tokens are sent with every call, fetched in the background and renewed before they expire. */
        private @Nullable String oauth2RegistrationId;

        /** Whether a bearer token may be sent without TLS to an address other than a loopback, 'unix:' or 'local:' one. */
        private boolean allowPlaintext;

        public @Nullable String getBearerToken() {
            return this.bearerToken;
        }

        public void setBearerToken(@Nullable String bearerToken) {
            this.bearerToken = bearerToken;
        }

        public @Nullable String getOauth2RegistrationId() {
            return this.oauth2RegistrationId;
        }

        public void setOauth2RegistrationId(@Nullable String oauth2RegistrationId) {
            this.oauth2RegistrationId = oauth2RegistrationId;
        }

        public boolean isAllowPlaintext() {
            return this.allowPlaintext;
        }

        public void setAllowPlaintext(boolean allowPlaintext) {
            this.allowPlaintext = allowPlaintext;
        }
    }

    /** Client credentials of one remote service. */
    public static class ServiceAuth {

        /** Static bearer token sent with every call to this service; the default's when unset. */
        private @Nullable String bearerToken;

        /** Id of the OAuth2 client registration whose access tokens are sent to this service; the default's when unset. */
        private @Nullable String oauth2RegistrationId;

        /** Whether a bearer token may be sent to this service without TLS to an address other than a loopback, 'unix:' or 'local:' one; the default's when unset. */
        private @Nullable Boolean allowPlaintext;

        public @Nullable String getBearerToken() {
            return this.bearerToken;
        }

        public void setBearerToken(@Nullable String bearerToken) {
            this.bearerToken = bearerToken;
        }

        public @Nullable String getOauth2RegistrationId() {
            return this.oauth2RegistrationId;
        }

        public void setOauth2RegistrationId(@Nullable String oauth2RegistrationId) {
            this.oauth2RegistrationId = oauth2RegistrationId;
        }

        public @Nullable Boolean getAllowPlaintext() {
            return this.allowPlaintext;
        }

        public void setAllowPlaintext(@Nullable Boolean allowPlaintext) {
            this.allowPlaintext = allowPlaintext;
        }
    }

    /** Client TLS settings shared by every remote service. */
    public static class Ssl {

        /** Name of the SSL bundle (spring.ssl.bundle.*) whose trust material checks the servers' certificates (and whose key, if any, is the client certificate); plaintext when unset. */
        private @Nullable String bundle;

        public @Nullable String getBundle() {
            return this.bundle;
        }

        public void setBundle(@Nullable String bundle) {
            this.bundle = bundle;
        }
    }

    /** Client TLS settings of one remote service. */
    public static class ServiceSsl {

        /** Whether to call this service over TLS; when unset, TLS is on if a bundle is set here or in the defaults. */
        private @Nullable Boolean enabled;

        /** Name of the SSL bundle for this service; the default's when unset. */
        private @Nullable String bundle;

        public @Nullable Boolean getEnabled() {
            return this.enabled;
        }

        public void setEnabled(@Nullable Boolean enabled) {
            this.enabled = enabled;
        }

        public @Nullable String getBundle() {
            return this.bundle;
        }

        public void setBundle(@Nullable String bundle) {
            this.bundle = bundle;
        }
    }

    /** Client settings of one remote service; an unset value falls back to the defaults. */
    public static class Service {

        /** Address of the service: 'host:port', 'unix:/path' or 'local:name'; several separated by commas to balance calls over them. */
        private @Nullable String address;

        /** How often to resolve the host names of the address again and balance calls over every address found (a Kubernetes headless Service); never when unset. */
        private @Nullable Duration refreshInterval;

        /** How long a connection attempt may take; the default's when unset. */
        private @Nullable Duration connectTimeout;

        /** How long the server may take to answer the handshake; the default's when unset. */
        private @Nullable Duration handshakeTimeout;

        /** Largest frame accepted from the server; the default's when unset. */
        private @Nullable DataSize maxFrameSize;

        /** Pipe window of the out-pipes this service's client receives; the default's when unset. */
        private @Nullable DataSize pipeWindow;

        /** How long a call may take before it fails with DEADLINE_EXCEEDED; the default's when unset. */
        private @Nullable Duration timeout;

        /** Dispatch ordering of calls made from one thread (causal or noncausal); the default's when unset. */
        private @Nullable Ordering ordering;

        /** TLS settings of this service; the default's when unset. */
        private final ServiceSsl ssl = new ServiceSsl();

        /** Credentials sent to this service; the default's when unset. */
        private final ServiceAuth auth = new ServiceAuth();

        /** How long a frame from the server may take to arrive once its first bytes have (0 for no limit); the default's when unset. */
        private @Nullable Duration frameReadTimeout;

        /** How long an idle connection stays open (0 for never); the default's when unset. */
        private @Nullable Duration idleTimeout;

        /** Keepalive of this service's connections; the default's when unset. */
        private final ServiceKeepalive keepalive = new ServiceKeepalive();

        public @Nullable Duration getFrameReadTimeout() {
            return this.frameReadTimeout;
        }

        public void setFrameReadTimeout(@Nullable Duration frameReadTimeout) {
            this.frameReadTimeout = (frameReadTimeout != null) ? Checks.nonNegative("asyncrpc.client.services.<name>.frame-read-timeout", frameReadTimeout) : null;
        }

        public @Nullable Duration getIdleTimeout() {
            return this.idleTimeout;
        }

        public void setIdleTimeout(@Nullable Duration idleTimeout) {
            this.idleTimeout = (idleTimeout != null) ? Checks.nonNegative("asyncrpc.client.services.<name>.idle-timeout", idleTimeout) : null;
        }

        public ServiceKeepalive getKeepalive() {
            return this.keepalive;
        }

        public @Nullable String getAddress() {
            return this.address;
        }

        public void setAddress(@Nullable String address) {
            this.address = address;
        }

        public @Nullable Duration getRefreshInterval() {
            return this.refreshInterval;
        }

        public void setRefreshInterval(@Nullable Duration refreshInterval) {
            this.refreshInterval = (refreshInterval != null) ? Checks.positive("asyncrpc.client.services.<name>.refresh-interval", refreshInterval) : null;
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

        public @Nullable DataSize getPipeWindow() {
            return this.pipeWindow;
        }

        public void setPipeWindow(@Nullable DataSize pipeWindow) {
            this.pipeWindow = (pipeWindow != null) ? Checks.frameSize("asyncrpc.client.services.<name>.pipe-window", pipeWindow) : null;
        }

        public @Nullable Duration getTimeout() {
            return this.timeout;
        }

        public void setTimeout(@Nullable Duration timeout) {
            this.timeout = (timeout != null) ? Checks.positive("asyncrpc.client.services.<name>.timeout", timeout) : null;
        }

        public @Nullable Ordering getOrdering() {
            return this.ordering;
        }

        public void setOrdering(@Nullable Ordering ordering) {
            this.ordering = (ordering != null) ? Checks.ordering("asyncrpc.client.services.<name>.ordering", ordering) : null;
        }

        public ServiceSsl getSsl() {
            return this.ssl;
        }

        public ServiceAuth getAuth() {
            return this.auth;
        }
    }

    /** Keepalive of one service's connections. */
    public static class ServiceKeepalive {

        /** Silence from the server after which a PING is sent (0 turns keepalive off); the default's when unset. */
        private @Nullable Duration interval;

        /** How long after that PING the server has to answer; the default's when unset. */
        private @Nullable Duration timeout;

        public @Nullable Duration getInterval() {
            return this.interval;
        }

        public void setInterval(@Nullable Duration interval) {
            this.interval = (interval != null) ? Checks.nonNegative("asyncrpc.client.services.<name>.keepalive.interval", interval) : null;
        }

        public @Nullable Duration getTimeout() {
            return this.timeout;
        }

        public void setTimeout(@Nullable Duration timeout) {
            this.timeout = (timeout != null) ? Checks.positive("asyncrpc.client.services.<name>.keepalive.timeout", timeout) : null;
        }
    }

    /** Outbound data limits of each connection of each connection of a client. */
    public static class WriteBuffer {

        /** Outbound bytes queued on a connection below which a connection paused by the high water mark reads again. */
        private DataSize lowWaterMark = DataSize.ofKilobytes(512);

        /** Outbound bytes queued on a connection above which it stops reading from the server and holds new calls back. */
        private DataSize highWaterMark = DataSize.ofMegabytes(1);

        /** How long the peer may leave the data queued for it above the high water mark unread before the connection is closed (its calls fail with UNAVAILABLE); 0 for no limit. */
        private Duration stallTimeout = Duration.ofSeconds(30);

        public DataSize getLowWaterMark() {
            return this.lowWaterMark;
        }

        public void setLowWaterMark(DataSize lowWaterMark) {
            Checks.check(lowWaterMark != null && lowWaterMark.toBytes() > 0 && lowWaterMark.toBytes() <= Integer.MAX_VALUE,
                    "asyncrpc.client.defaults.write-buffer.low-water-mark", lowWaterMark, "a positive size below 2GB");
            this.lowWaterMark = lowWaterMark;
        }

        public DataSize getHighWaterMark() {
            return this.highWaterMark;
        }

        public void setHighWaterMark(DataSize highWaterMark) {
            Checks.check(highWaterMark != null && highWaterMark.toBytes() > 0 && highWaterMark.toBytes() <= Integer.MAX_VALUE,
                    "asyncrpc.client.defaults.write-buffer.high-water-mark", highWaterMark, "a positive size below 2GB");
            this.highWaterMark = highWaterMark;
        }

        public Duration getStallTimeout() {
            return this.stallTimeout;
        }

        public void setStallTimeout(Duration stallTimeout) {
            this.stallTimeout = Checks.nonNegative("asyncrpc.client.defaults.write-buffer.stall-timeout", stallTimeout);
        }

        /** Both marks, checked against each other. */
        int[] marks() {
            Checks.check(this.highWaterMark.compareTo(this.lowWaterMark) >= 0, "asyncrpc.client.defaults.write-buffer.high-water-mark", this.highWaterMark,
                    "at least " + "asyncrpc.client.defaults.write-buffer.low-water-mark (" + this.lowWaterMark + ")");
            return new int[] { (int) this.lowWaterMark.toBytes(), (int) this.highWaterMark.toBytes() };
        }
    }

    /** Keepalive: after 'interval' without receiving anything from the peer a PING is sent; with no answer within 'timeout' the connection is closed. */
    public static class Keepalive {

        /** Silence from the peer after which a PING is sent; 0 turns keepalive off. */
        private Duration interval = Duration.ofSeconds(30);

        /** How long after that PING the peer has to answer before the connection is closed (a dead peer is detected within interval + timeout). */
        private Duration timeout = Duration.ofSeconds(10);

        public Duration getInterval() {
            return this.interval;
        }

        public void setInterval(Duration interval) {
            this.interval = Checks.nonNegative("asyncrpc.client.defaults.keepalive.interval", interval);
        }

        public Duration getTimeout() {
            return this.timeout;
        }

        public void setTimeout(Duration timeout) {
            this.timeout = Checks.positive("asyncrpc.client.defaults.keepalive.timeout", timeout);
        }
    }
}
