package dev.asyncrpc.internal.server;

import java.util.concurrent.TimeUnit;

import dev.asyncrpc.Status;
import dev.asyncrpc.internal.MemoryBudget;
import dev.asyncrpc.internal.protocol.Settings;
import dev.asyncrpc.internal.transport.ReadBackoff;
import dev.asyncrpc.internal.transport.ReadGate;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link CallAdmission} with plain objects: a server that counts, a memory budget, and a read
 * backoff on an {@link EmbeddedChannel} with a frozen clock.
 */
class CallAdmissionTests {

    /** A server whose draining and server-wide calls the test sets, counting refusals. */
    static final class FakeServer implements CallAdmission.Server {

        boolean draining;
        int maxCalls = 2;
        int calls;
        int refused;

        @Override
        public boolean isDraining() {
            return this.draining;
        }

        @Override
        public boolean tryCallStarted() {
            if (this.calls >= this.maxCalls) {
                return false;
            }
            this.calls++;
            return true;
        }

        @Override
        public int maxCallsInProgress() {
            return this.maxCalls;
        }

        @Override
        public void refused() {
            this.refused++;
        }
    }

    private final FakeServer server = new FakeServer();
    private final MemoryBudget memory = new MemoryBudget(100);
    private final ReadGate gate = new ReadGate();
    private final EmbeddedChannel ch = new EmbeddedChannel(this.gate);
    private final CallAdmission admission;

    CallAdmissionTests() {
        this.ch.freezeTime();
        Settings limits = Settings.DEFAULTS.withMaxConcurrentCalls(3).withMaxMetadataSize(64);
        this.admission = new CallAdmission(this.server, limits, this.memory, new ReadBackoff(this.gate, this.ch.eventLoop()));
    }

    @AfterEach
    void close() {
        this.admission.stop();
        this.ch.finishAndReleaseAll();
    }

    /** End the turn and tell whether reading paused for refusals. */
    private boolean turnPausesReading() {
        this.admission.turnEnded();
        return this.gate.isPaused(ReadGate.REFUSED);
    }

    @Test
    void anAdmittedCallHoldsItsArgumentBytesAndOneServerWideCall() {
        assertThat(this.admission.checkMetadata(64)).isNull();
        assertThat(this.admission.checkConnection(2)).isNull();
        assertThat(this.admission.admit(40)).isNull();
        assertThat(this.memory.used()).isEqualTo(40);
        assertThat(this.server.calls).isEqualTo(1);
        assertThat(this.server.refused).isZero();
        assertThat(turnPausesReading()).isFalse();
    }

    @Test
    void metadataOverTheLimitIsRefusedWithoutCountingOrSlowingReads() {
        CallAdmission.Refusal refusal = this.admission.checkMetadata(65);
        assertThat(refusal.status()).isEqualTo(Status.RESOURCE_EXHAUSTED);
        assertThat(refusal.message()).isEqualTo("call metadata of 65 bytes exceeds maxMetadataSize 64");
        assertThat(this.server.refused).isZero();
        assertThat(turnPausesReading()).isFalse();
    }

    @Test
    void aFullConnectionRefusesCountsAndSlowsReading() {
        CallAdmission.Refusal refusal = this.admission.checkConnection(3);
        assertThat(refusal.status()).isEqualTo(Status.RESOURCE_EXHAUSTED);
        assertThat(refusal.message()).isEqualTo("too many calls in progress on this connection (maxConcurrentCalls 3); the call was not run (safe to retry)");
        assertThat(this.server.refused).isEqualTo(1);
        assertThat(turnPausesReading()).isTrue();
        this.ch.advanceTimeBy(ReadBackoff.MIN_DELAY_MILLIS, TimeUnit.MILLISECONDS);
        this.ch.runScheduledPendingTasks();
        assertThat(this.gate.isPaused(ReadGate.REFUSED)).isFalse();
    }

    @Test
    void aDrainingServerDoesNotDispatchAndTakesNothing() {
        this.server.draining = true;
        CallAdmission.Refusal refusal = this.admission.admit(10);
        assertThat(refusal.status()).isEqualTo(Status.NOT_DISPATCHED);
        assertThat(refusal.message()).isEqualTo("server is shutting down; the call was not dispatched (safe to retry elsewhere)");
        assertThat(this.memory.used()).isZero();
        assertThat(this.server.calls).isZero();
        assertThat(this.server.refused).isZero();
        assertThat(turnPausesReading()).isFalse();
    }

    @Test
    void aSpentMemoryBudgetRefusesAndSlowsReadingWithoutCountingACallRefusal() {
        assertThat(this.admission.admit(90)).isNull();
        CallAdmission.Refusal refusal = this.admission.admit(11);
        assertThat(refusal.status()).isEqualTo(Status.RESOURCE_EXHAUSTED);
        assertThat(refusal.message()).isEqualTo("the server's memory budget (100 bytes for data held for clients) cannot take the 11"
                + " argument bytes of this call now; the call was not dispatched (safe to retry)");
        assertThat(this.memory.used()).isEqualTo(90);
        assertThat(this.server.calls).isEqualTo(1);
        assertThat(this.server.refused).isZero();
        assertThat(turnPausesReading()).isTrue();
    }

    @Test
    void aFullServerRefusesReleasesTheArgumentBytesCountsAndSlowsReading() {
        assertThat(this.admission.admit(10)).isNull();
        assertThat(this.admission.admit(10)).isNull();
        CallAdmission.Refusal refusal = this.admission.admit(10);
        assertThat(refusal.status()).isEqualTo(Status.RESOURCE_EXHAUSTED);
        assertThat(refusal.message()).isEqualTo("the server has too many calls in progress (maxCallsInProgress 2); the call was not run (safe to retry)");
        assertThat(this.memory.used()).isEqualTo(20);
        assertThat(this.server.calls).isEqualTo(2);
        assertThat(this.server.refused).isEqualTo(1);
        assertThat(turnPausesReading()).isTrue();
    }
}
