package dev.asyncrpc.internal.pipe;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The receiving window: allowance, overrun, and grants at half the window. */
class InboundFlowControllerTests {

    @Test
    void framesSpendTheAllowanceAndAFrameBeyondItIsAnOverrun() {
        InboundFlowController flow = new InboundFlowController(1000);
        assertThat(flow.receive(600)).isTrue();
        assertThat(flow.allowance()).isEqualTo(400);
        assertThat(flow.unacknowledged()).isEqualTo(600);
        assertThat(flow.receive(401)).as("overrun").isFalse();
        assertThat(flow.allowance()).as("nothing charged for an overrun").isEqualTo(400);
        assertThat(flow.receive(400)).isTrue();
        assertThat(flow.receive(1)).isFalse();
    }

    @Test
    void consumedBytesAreGrantedBackInOneBatchOnceHalfTheWindowIsConsumed() {
        InboundFlowController flow = new InboundFlowController(1000);
        flow.receive(1000);
        assertThat(flow.consumed(200)).isZero();
        assertThat(flow.consumed(299)).isZero();
        assertThat(flow.consumed(1)).as("half the window").isEqualTo(500);
        assertThat(flow.allowance()).isEqualTo(500);
        assertThat(flow.consumed(499)).isZero();
        assertThat(flow.consumed(1)).isEqualTo(500);
        assertThat(flow.allowance()).isEqualTo(1000);
        assertThat(flow.unacknowledged()).isZero();
    }

    @Test
    void nothingIsGrantedAfterStop() {
        InboundFlowController flow = new InboundFlowController(1000);
        flow.receive(800);
        flow.stop();
        assertThat(flow.consumed(800)).isZero();
        assertThat(flow.allowance()).isEqualTo(200);
    }

    @Test
    void aWindowMustBePositive() {
        assertThatThrownBy(() -> new InboundFlowController(0)).hasMessage("window: 0 (expected: > 0)");
    }
}
