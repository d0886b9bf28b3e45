package dev.asyncrpc.internal.pipe;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The sending end's states and the transitions between them. */
class OutboundStateTests {

    @Test
    void closeThenEndWritten() {
        OutboundState s = OutboundState.OPEN.closing();
        assertThat(s).isEqualTo(OutboundState.CLOSING);
        assertThat(s.isOpen()).isFalse();
        assertThat(s.isEnding()).isTrue();
        assertThat(s.canAbort()).isTrue();
        assertThat(s.refusesData()).isFalse();
        assertThat(s.written()).isEqualTo(OutboundState.ENDED);
        assertThat(OutboundState.ENDED.isFinished()).isTrue();
        assertThat(OutboundState.ENDED.label()).isEqualTo("closed");
    }

    @Test
    void abortFromOpenOrClosingThenAbortWritten() {
        assertThat(OutboundState.OPEN.aborting()).isEqualTo(OutboundState.ABORTING);
        assertThat(OutboundState.CLOSING.aborting()).isEqualTo(OutboundState.ABORTING);
        assertThat(OutboundState.ABORTING.isAborted()).isTrue();
        assertThat(OutboundState.ABORTING.refusesData()).isTrue();
        assertThat(OutboundState.ABORTING.isFinished()).isFalse();
        assertThat(OutboundState.ABORTING.written()).isEqualTo(OutboundState.ABORTED);
        assertThat(OutboundState.ABORTED.isFinished()).isTrue();
    }

    @Test
    void failedRefusesEverything() {
        OutboundState f = OutboundState.FAILED;
        assertThat(f.isFinished()).isTrue();
        assertThat(f.refusesData()).isTrue();
        assertThat(f.canAbort()).isFalse();
        assertThat(f.isEnding()).isFalse();
        assertThat(f.label()).isEqualTo("failed");
    }

    @Test
    void transitionsFromTheWrongStateAreRefused() {
        assertThatThrownBy(OutboundState.CLOSING::closing).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(OutboundState.ENDED::aborting).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(OutboundState.FAILED::aborting).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(OutboundState.OPEN::written).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(OutboundState.ENDED::written).isInstanceOf(IllegalStateException.class);
    }
}
