package dev.asyncrpc.internal.transport;

import java.time.Duration;

/**
 * The connection-layer limits and timeouts of one side (client or server), applied to every
 * connection it makes or accepts. A zero duration turns the timer off where that is allowed.
 *
 * @param writeHighWaterMark outbound bytes queued on a connection above which it stops reading from the peer
 * @param writeLowWaterMark outbound bytes below which a paused connection reads again
 * @param writeStallTimeout how long a connection may stay above its high water mark before it is closed (0: never)
 * @param handshakeTimeout how long the HELLO / HELLO_ACK exchange may take
 * @param frameReadTimeout how long an incomplete frame may be held before the connection is closed (0: forever)
 * @param idleTimeout how long a connection with no call in progress and no frame other than PING/PONG stays open (0: forever)
 * @param keepAliveInterval silence from the peer after which a PING is sent (0: no keepalive)
 * @param keepAliveTimeout how long after that PING the peer has to send anything before the connection is closed
 */
public record ConnectionOptions(int writeHighWaterMark, int writeLowWaterMark, Duration writeStallTimeout, Duration handshakeTimeout,
        Duration frameReadTimeout, Duration idleTimeout, Duration keepAliveInterval, Duration keepAliveTimeout) {

    /** Server defaults; see docs/configuration.md. */
    public static final ConnectionOptions SERVER_DEFAULTS = new ConnectionOptions(1024 * 1024, 512 * 1024, Duration.ofSeconds(30),
            Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(30), Duration.ofSeconds(30), Duration.ofSeconds(10));

    /** Client defaults; see docs/configuration.md. */
    public static final ConnectionOptions CLIENT_DEFAULTS = new ConnectionOptions(1024 * 1024, 512 * 1024, Duration.ofSeconds(30),
            Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ZERO, Duration.ofSeconds(30), Duration.ofSeconds(10));

    public ConnectionOptions {
        if (writeLowWaterMark < 1) {
            throw new IllegalArgumentException("writeLowWaterMark: " + writeLowWaterMark + " (expected: > 0)");
        }
        if (writeHighWaterMark < writeLowWaterMark) {
            throw new IllegalArgumentException("writeHighWaterMark: " + writeHighWaterMark + " (expected: >= writeLowWaterMark " + writeLowWaterMark + ")");
        }
        check("writeStallTimeout", writeStallTimeout, true);
        check("handshakeTimeout", handshakeTimeout, false);
        check("frameReadTimeout", frameReadTimeout, true);
        check("idleTimeout", idleTimeout, true);
        check("keepAliveInterval", keepAliveInterval, true);
        check("keepAliveTimeout", keepAliveTimeout, false);
    }

    private static void check(String name, Duration value, boolean zeroAllowed) {
        if (value == null || value.isNegative() || (!zeroAllowed && value.isZero())) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: a duration " + (zeroAllowed ? ">= 0, 0 for none" : "> 0") + ")");
        }
    }

    public ConnectionOptions withWriteBufferWaterMarks(int low, int high) {
        return new ConnectionOptions(high, low, this.writeStallTimeout, this.handshakeTimeout, this.frameReadTimeout, this.idleTimeout,
                this.keepAliveInterval, this.keepAliveTimeout);
    }

    public ConnectionOptions withWriteStallTimeout(Duration value) {
        return new ConnectionOptions(this.writeHighWaterMark, this.writeLowWaterMark, value, this.handshakeTimeout, this.frameReadTimeout,
                this.idleTimeout, this.keepAliveInterval, this.keepAliveTimeout);
    }

    public ConnectionOptions withHandshakeTimeout(Duration value) {
        return new ConnectionOptions(this.writeHighWaterMark, this.writeLowWaterMark, this.writeStallTimeout, value, this.frameReadTimeout,
                this.idleTimeout, this.keepAliveInterval, this.keepAliveTimeout);
    }

    public ConnectionOptions withFrameReadTimeout(Duration value) {
        return new ConnectionOptions(this.writeHighWaterMark, this.writeLowWaterMark, this.writeStallTimeout, this.handshakeTimeout, value,
                this.idleTimeout, this.keepAliveInterval, this.keepAliveTimeout);
    }

    public ConnectionOptions withIdleTimeout(Duration value) {
        return new ConnectionOptions(this.writeHighWaterMark, this.writeLowWaterMark, this.writeStallTimeout, this.handshakeTimeout,
                this.frameReadTimeout, value, this.keepAliveInterval, this.keepAliveTimeout);
    }

    public ConnectionOptions withKeepAlive(Duration interval, Duration timeout) {
        return new ConnectionOptions(this.writeHighWaterMark, this.writeLowWaterMark, this.writeStallTimeout, this.handshakeTimeout,
                this.frameReadTimeout, this.idleTimeout, interval, timeout);
    }
}
