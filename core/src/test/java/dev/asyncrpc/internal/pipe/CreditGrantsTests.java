package dev.asyncrpc.internal.pipe;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The credit owed: one write scheduled at a time, collecting what is consumed meanwhile. */
class CreditGrantsTests {

    @Test
    void schedulesOneWriteOnceHalfTheWindowIsConsumed() {
        CreditGrants credit = new CreditGrants(new InboundFlowController(1000));
        assertThat(credit.flow().receive(1000)).isTrue();
        assertThat(credit.consumed(400)).as("less than half the window").isFalse();
        assertThat(credit.pending()).isZero();
        assertThat(credit.consumed(100)).isTrue();
        assertThat(credit.pending()).isEqualTo(500);
        assertThat(credit.consumed(500)).as("a write is scheduled: the grant joins it").isFalse();
        assertThat(credit.pending()).isEqualTo(1000);
        assertThat(credit.take()).isEqualTo(1000);
        assertThat(credit.flow().allowance()).isEqualTo(1000);
        assertThat(credit.take()).isZero();
    }

    @Test
    void theNextGrantAfterAWriteSchedulesAgain() {
        CreditGrants credit = new CreditGrants(new InboundFlowController(100));
        credit.flow().receive(100);
        assertThat(credit.consumed(50)).isTrue();
        assertThat(credit.take()).isEqualTo(50);
        assertThat(credit.consumed(50)).isTrue();
        assertThat(credit.take()).isEqualTo(50);
    }

    @Test
    void aStoppedWindowGrantsNothing() {
        CreditGrants credit = new CreditGrants(new InboundFlowController(100));
        credit.flow().receive(100);
        credit.flow().stop();
        assertThat(credit.consumed(100)).isFalse();
        assertThat(credit.take()).isZero();
    }
}
