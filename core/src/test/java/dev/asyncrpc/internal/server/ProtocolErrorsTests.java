package dev.asyncrpc.internal.server;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProtocolErrorsTests {

    @Test
    void countsByKind() {
        ProtocolErrors errors = new ProtocolErrors();
        for (int i = 0; i < 1000; i++) {
            errors.record("frame-length", "127.0.0.1:1", "frame length 5000 exceeds maxFrameSize 1024");
        }
        errors.record("handshake", "127.0.0.1:2", "expected HELLO, got CALL");
        assertThat(errors.snapshot()).containsExactly(java.util.Map.entry("frame-length", 1000L), java.util.Map.entry("handshake", 1L));
    }
}
