package dev.asyncrpc.internal.pipe;

import dev.asyncrpc.PipeInfo;
import dev.asyncrpc.RemoteCallException;
import dev.asyncrpc.Status;
import dev.asyncrpc.internal.protocol.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A receiving end's arrival checks and counts: overrun, data after the end, a second end, and its info. */
class InboundArrivalsTests {

    private static final PipeIdentity ID = new PipeIdentity("svc/op", 2);

    private final InboundLifecycle life = new InboundLifecycle();
    private final InboundFlowController flow = new InboundFlowController(100);
    private final InboundArrivals arrivals = new InboundArrivals(this.life);

    InboundArrivalsTests() {
        this.arrivals.attach(ID, 7, this.flow);
    }

    private static ByteBuf payload(int size) {
        return Unpooled.buffer(size).writeZero(size);
    }

    @Test
    void dataWithinTheWindowIsKeptAndCounted() {
        ByteBuf p = payload(60);
        assertThat(this.arrivals.data(p, 3, 60)).isTrue();
        assertThat(p.refCnt()).as("owned by the receiver now").isOne();
        p.release();
        assertThat(this.flow.allowance()).isEqualTo(40);
        PipeInfo info = this.arrivals.info(ID, PipeInfo.Direction.IN, 60);
        assertThat(info).isEqualTo(new PipeInfo("svc/op", 7, 2, PipeInfo.Direction.IN, false, 3, 60, 100, 60, 60, java.time.Duration.ZERO));
    }

    @Test
    void dataBeyondTheCreditLeftIsAProtocolErrorAndIsReleased() {
        ByteBuf first = payload(60);
        this.arrivals.data(first, 1, 60);
        first.release();
        ByteBuf over = payload(41);
        assertThatThrownBy(() -> this.arrivals.data(over, 1, 41)).isInstanceOf(ProtocolException.class)
                .hasMessage("pipe 2 of call 7 (svc/op) overran its credit: 41 bytes sent with 40 bytes of credit left (window 100)");
        assertThat(over.refCnt()).isZero();
        assertThat(this.arrivals.info(ID, PipeInfo.Direction.OUT, 0).elements()).as("not counted").isOne();
    }

    @Test
    void dataAfterTheSendersEndIsAProtocolErrorAndIsReleased() {
        this.arrivals.end();
        this.life.endArrived(null);
        ByteBuf late = payload(10);
        assertThatThrownBy(() -> this.arrivals.data(late, 1, 10)).isInstanceOf(ProtocolException.class)
                .hasMessage("PIPE_DATA after PIPE_END on pipe 2 of call 7 (svc/op)");
        assertThat(late.refCnt()).isZero();
    }

    @Test
    void aSecondEndIsAProtocolError() {
        this.arrivals.end();
        this.life.endArrived(null);
        assertThatThrownBy(this.arrivals::end).isInstanceOf(ProtocolException.class)
                .hasMessage("second PIPE_END on pipe 2 of call 7 (svc/op)");
    }

    @Test
    void dataAfterAFailureIsCountedAgainstTheWindowThenReleased() {
        this.life.fail(new RemoteCallException(Status.CANCELLED, "cancelled"));
        ByteBuf p = payload(30);
        assertThat(this.arrivals.data(p, 2, 30)).isFalse();
        assertThat(p.refCnt()).isZero();
        assertThat(this.flow.allowance()).as("the sender spent its credit").isEqualTo(70);
        PipeInfo info = this.arrivals.info(ID, PipeInfo.Direction.IN, 0);
        assertThat(info.elements()).isEqualTo(2);
        assertThat(info.bytes()).isEqualTo(30);
    }

    @Test
    void stoppedGrantsGrantNothingAndStoppingBeforeAttachIsHarmless() {
        new InboundArrivals(new InboundLifecycle()).stopGrants();
        ByteBuf p = payload(100);
        this.arrivals.data(p, 1, 100);
        p.release();
        this.arrivals.stopGrants();
        assertThat(this.flow.consumed(100)).isZero();
    }

    @Test
    void beforeAttachTheInfoHasNoWindow() {
        PipeInfo info = new InboundArrivals(new InboundLifecycle()).info(ID, PipeInfo.Direction.OUT, 0);
        assertThat(info.window()).isZero();
        assertThat(info.unacknowledgedBytes()).isZero();
        assertThat(info.callId()).isZero();
    }
}
