package dev.asyncrpc.internal.pipe;

import dev.asyncrpc.RemoteCallException;
import dev.asyncrpc.Status;
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
}
