package dev.asyncrpc.internal.transport;

import java.util.concurrent.TimeUnit;

import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReadBackoffTests {

    private final ReadGate gate = new ReadGate();
    private final EmbeddedChannel ch = new EmbeddedChannel(this.gate);
    private final ReadBackoff backoff;

    ReadBackoffTests() {
        this.ch.freezeTime();
        this.backoff = new ReadBackoff(this.gate, this.ch.eventLoop());
    }

    private void advance(long millis) {
        this.ch.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
        this.ch.runScheduledPendingTasks();
    }

    @Test
    void aTurnWithoutRefusalsPausesNothing() {
        this.backoff.turnEnded();
        assertThat(this.ch.config().isAutoRead()).isTrue();
        assertThat(this.backoff.pauses()).isZero();
        this.ch.finishAndReleaseAll();
    }

    @Test
    void aTurnWithARefusalPausesReadingForTheFirstDelay() {
        this.backoff.refused();
        this.backoff.turnEnded();
        assertThat(this.gate.isPaused(ReadGate.REFUSED)).isTrue();
        assertThat(this.ch.config().isAutoRead()).isFalse();
        advance(ReadBackoff.MIN_DELAY_MILLIS - 1);
        assertThat(this.gate.isPaused(ReadGate.REFUSED)).isTrue();
        advance(1);
        assertThat(this.gate.isPaused(ReadGate.REFUSED)).isFalse();
        assertThat(this.ch.config().isAutoRead()).isTrue();
        this.ch.finishAndReleaseAll();
    }

    @Test
    void eachFollowingTurnWithARefusalDoublesThePauseUpToTheLongest() {
        long expected = ReadBackoff.MIN_DELAY_MILLIS;
        for (int turn = 0; turn < 12; turn++) {
            this.backoff.refused();
            this.backoff.turnEnded();
            assertThat(this.backoff.delayMillis()).isEqualTo(expected);
            advance(expected - 1);
            assertThat(this.gate.isPaused(ReadGate.REFUSED)).as("turn %d: paused for %d ms", turn, expected).isTrue();
            advance(1);
            assertThat(this.gate.isPaused(ReadGate.REFUSED)).isFalse();
            expected = Math.min(ReadBackoff.MAX_DELAY_MILLIS, expected * 2);
        }
        assertThat(this.backoff.delayMillis()).isEqualTo(ReadBackoff.MAX_DELAY_MILLIS);
        this.ch.finishAndReleaseAll();
    }

    @Test
    void aTurnWithoutARefusalStartsOver() {
        for (int turn = 0; turn < 3; turn++) {
            this.backoff.refused();
            this.backoff.turnEnded();
            advance(this.backoff.delayMillis());
        }
        assertThat(this.backoff.delayMillis()).isEqualTo(4 * ReadBackoff.MIN_DELAY_MILLIS);
        this.backoff.turnEnded();
        assertThat(this.backoff.delayMillis()).isZero();
        this.backoff.refused();
        this.backoff.turnEnded();
        assertThat(this.backoff.delayMillis()).isEqualTo(ReadBackoff.MIN_DELAY_MILLIS);
        this.ch.finishAndReleaseAll();
    }

    @Test
    void stoppingLeavesNoTimer() {
        this.backoff.refused();
        this.backoff.turnEnded();
        this.backoff.stop();
        advance(ReadBackoff.MAX_DELAY_MILLIS);
        assertThat(this.gate.isPaused(ReadGate.REFUSED)).as("the connection is gone: nothing resumes it").isTrue();
        this.ch.finishAndReleaseAll();
    }
}
