package dev.asyncrpc;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** Builders check each setting at once and name the setting, the bad value and what was expected. */
class BuilderTests {

    @Test
    void serverBuilderNamesTheBadValue() {
        AsyncRpcServer.Builder b = AsyncRpcServer.builder();
        assertThatIllegalArgumentException().isThrownBy(() -> b.maxFrameSize(10)).withMessage("maxFrameSize: 10 (expected: >= 1024)");
        assertThatIllegalArgumentException().isThrownBy(() -> b.pipeWindow(10)).withMessage("pipeWindow: 10 (expected: >= 1024)");
        assertThatIllegalArgumentException().isThrownBy(() -> b.maxConcurrentCalls(0)).withMessage("maxConcurrentCalls: 0 (expected: > 0)");
        assertThatIllegalArgumentException().isThrownBy(() -> b.port(70_000)).withMessage("port: 70000 (expected: 0-65535)");
        assertThatIllegalArgumentException().isThrownBy(() -> b.address("nowhere"))
                .withMessage("address: 'nowhere' (expected: host:port, local:name or unix:/path)");
        assertThatIllegalArgumentException().isThrownBy(b::build).withMessageStartingWith("services: none");
    }

    @Test
    void clientBuilderNamesTheBadValue() {
        AsyncRpcClient.Builder b = AsyncRpcClient.builder();
        assertThatIllegalArgumentException().isThrownBy(() -> b.maxFrameSize(10)).withMessage("maxFrameSize: 10 (expected: >= 1024)");
        assertThatIllegalArgumentException().isThrownBy(() -> b.pipeWindow(1023)).withMessage("pipeWindow: 1023 (expected: >= 1024)");
        assertThatIllegalArgumentException().isThrownBy(() -> b.connectTimeout(Duration.ZERO)).withMessage("connectTimeout: PT0S (expected: > 0)");
        assertThatIllegalArgumentException().isThrownBy(() -> b.address("127.0.0.1:x"))
                .withMessageStartingWith("address: '127.0.0.1:x'");
        assertThatIllegalStateException().isThrownBy(b::build).withMessageStartingWith("address: not set");
    }
}
