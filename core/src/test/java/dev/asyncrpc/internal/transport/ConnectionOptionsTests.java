package dev.asyncrpc.internal.transport;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConnectionOptionsTests {

    @Test
    void badValuesAreRefusedNamingTheSettingTheValueAndWhatWasExpected() {
        ConnectionOptions o = ConnectionOptions.SERVER_DEFAULTS;
        assertThatThrownBy(() -> o.withWriteBufferWaterMarks(100, 50)).hasMessage("writeHighWaterMark: 50 (expected: >= writeLowWaterMark 100)");
        assertThatThrownBy(() -> o.withWriteBufferWaterMarks(0, 50)).hasMessage("writeLowWaterMark: 0 (expected: > 0)");
        assertThatThrownBy(() -> o.withHandshakeTimeout(Duration.ZERO)).hasMessage("handshakeTimeout: PT0S (expected: a duration > 0)");
        assertThatThrownBy(() -> o.withKeepAlive(Duration.ofSeconds(-1), Duration.ofSeconds(1)))
                .hasMessage("keepAliveInterval: PT-1S (expected: a duration >= 0, 0 for none)");
        assertThatThrownBy(() -> o.withIdleTimeout(null)).hasMessage("idleTimeout: null (expected: a duration >= 0, 0 for none)");
    }
}
