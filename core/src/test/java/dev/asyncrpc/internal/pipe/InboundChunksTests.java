package dev.asyncrpc.internal.pipe;

import dev.asyncrpc.RemoteCallException;
import dev.asyncrpc.Status;
import dev.asyncrpc.internal.MemoryBudget;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The receiver's held payloads: consumption, and a release that leaves a head in use to its consumer. */
class InboundChunksTests {

    private static ByteBuf payload(int size) {
        return Unpooled.buffer(size).writeZero(size);
    }

    @Test
    void aConsumedChunkLeavesTheQueueAndIsReleased() {
        InboundChunks chunks = new InboundChunks();
        ByteBuf p = payload(10);
        chunks.add(p, 2, 10);
        InboundChunks.Chunk c = chunks.take();
        c.remaining = 1;
        assertThat(chunks.done(c, false)).as("not used up yet").isZero();
        assertThat(p.refCnt()).isOne();
        c.remaining = 0;
        assertThat(chunks.done(c, false)).isEqualTo(10);
        assertThat(p.refCnt()).isZero();
        assertThat(chunks.isEmpty()).isTrue();
        assertThat(chunks.bytes()).isZero();
    }

    @Test
    void aReleaseWhileAConsumerDecodesLeavesTheHeadToTheConsumer() {
        InboundChunks chunks = new InboundChunks();
        ByteBuf head = payload(10);
        ByteBuf next = payload(10);
        chunks.add(head, 1, 10);
        chunks.add(next, 1, 10);
        InboundChunks.Chunk c = chunks.take();
        assertThat(chunks.release(new RemoteCallException(Status.UNAVAILABLE, "closed"))).isTrue();
        assertThat(next.refCnt()).isZero();
        assertThat(head.refCnt()).as("still being decoded").isOne();
        chunks.done(c, false);
        assertThat(head.refCnt()).isZero();
        assertThat(chunks.release(new RemoteCallException(Status.UNAVAILABLE, "again"))).as("idempotent").isFalse();
        assertThat(chunks.released().description()).isEqualTo("closed");
    }

    @Test
    void aPayloadArrivingAfterTheReleaseIsReleasedAtOnce() {
        InboundChunks chunks = new InboundChunks();
        chunks.release(new RemoteCallException(Status.CANCELLED, "gone"));
        ByteBuf late = payload(4);
        chunks.add(late, 1, 4);
        assertThat(late.refCnt()).isZero();
        assertThat(chunks.take()).isNull();
    }

    @Test
    void heldBytesAreChargedToTheBudgetAndGivenBackExactlyOnEveryPath() {
        MemoryBudget budget = new MemoryBudget(1_000);
        InboundChunks chunks = new InboundChunks();
        chunks.budget(budget);
        chunks.add(payload(10), 1, 10);
        chunks.add(payload(20), 2, 20);
        assertThat(budget.used()).as("charged on arrival").isEqualTo(30);
        InboundChunks.Chunk c = chunks.take();
        c.remaining = 0;
        assertThat(chunks.done(c, false)).isEqualTo(10);
        assertThat(budget.used()).as("a consumed chunk gives its bytes back").isEqualTo(20);
        InboundChunks.Chunk partly = chunks.take();
        partly.remaining = 1;
        chunks.done(partly, false);
        assertThat(budget.used()).as("a chunk not used up stays charged").isEqualTo(20);
        chunks.done(chunks.take(), true);
        assertThat(budget.used()).as("a dropped chunk gives its bytes back").isZero();

        chunks.add(payload(40), 1, 40);
        chunks.add(payload(50), 1, 50);
        InboundChunks.Chunk decoding = chunks.take();
        chunks.release(new RemoteCallException(Status.UNAVAILABLE, "closed"));
        assertThat(budget.used()).as("a release gives everything back, the head being decoded too").isZero();
        decoding.remaining = 0;
        chunks.done(decoding, false);
        chunks.release(new RemoteCallException(Status.UNAVAILABLE, "again"));
        chunks.add(payload(60), 1, 60);
        assertThat(budget.used()).as("nothing given back twice, nothing charged after the release").isZero();
    }

    @Test
    void chargesMayGoBeyondTheLimitAndTheBudgetSaysItIsExhausted() {
        MemoryBudget budget = new MemoryBudget(25);
        InboundChunks chunks = new InboundChunks();
        chunks.budget(budget);
        chunks.add(payload(20), 1, 20);
        assertThat(budget.isExhausted()).isFalse();
        chunks.add(payload(20), 1, 20);
        assertThat(budget.used()).as("data the window allowed is never refused").isEqualTo(40);
        assertThat(budget.isExhausted()).isTrue();
        assertThat(budget.tryReserve(1)).as("other holders are refused meanwhile").isFalse();
        chunks.release(new RemoteCallException(Status.CANCELLED, "gone"));
        assertThat(budget.isExhausted()).isFalse();
        assertThat(budget.used()).isZero();
    }
}
