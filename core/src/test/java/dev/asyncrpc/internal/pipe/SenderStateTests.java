package dev.asyncrpc.internal.pipe;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The shared state's readiness: a push would be accepted at once, or the pipe takes no more. */
class SenderStateTests {

    private final SenderFixture f = new SenderFixture();
    private final List<String> ran = new ArrayList<>();

    @AfterEach
    void close() {
        this.f.close();
    }

    @Test
    void notReadyBeforeTheAttachReadyAfterIt() {
        synchronized (this.f.state) {
            assertThat(this.f.state.isReadyLocked()).isFalse();
            assertThat(this.f.state.mustDeferLocked()).isTrue();
            this.f.state.onReadyLocked(() -> this.ran.add("ready"), null);
            assertThat(this.f.state.takeReadyLocked()).isNull();
        }
        this.f.attach(4096);
        Runnable due;
        synchronized (this.f.state) {
            assertThat(this.f.state.isReadyLocked()).isTrue();
            due = this.f.state.takeReadyLocked();
            assertThat(this.f.state.takeReadyLocked()).isNull(); // once
        }
        due.run();
        assertThat(this.ran).isEmpty(); // handed to the executor
        this.f.executor.runAll();
        assertThat(this.ran).containsExactly("ready");
    }

    @Test
    void notReadyWhileTheWindowIsFullDueOnceThePipeEnds() {
        this.f.attach(4096);
        this.f.intake.push(List.of(new byte[2000]), true);
        this.f.intake.push(List.of(new byte[2000]), true);
        this.f.intake.push(List.of(new byte[100]), true);
        synchronized (this.f.state) {
            assertThat(this.f.state.isReadyLocked()).isFalse();
            this.f.state.onReadyLocked(() -> this.ran.add("ready"), Runnable::run);
            assertThat(this.f.state.takeReadyLocked()).isNull();
            this.f.state.state = OutboundState.CLOSING;
            this.f.state.takeReadyLocked().run();
        }
        assertThat(this.ran).containsExactly("ready");
    }
}
