package dev.asyncrpc.internal.server;

import dev.asyncrpc.Status;
import dev.asyncrpc.internal.protocol.FrameType;
import dev.asyncrpc.internal.protocol.Frames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReplyLimitTests {

    private final ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;

    private ByteBuf reply(int valueBytes) {
        ByteBuf b = Frames.start(this.alloc, FrameType.REPLY, 0, 5, valueBytes);
        b.writeZero(valueBytes);
        return Frames.finish(b);
    }

    @Test
    void aReplyThatFitsIsKept() {
        ByteBuf r = reply(1000);
        assertThat(ReplyLimit.fit(this.alloc, r, 5, 1024, "bulk/blob")).isSameAs(r);
        r.release();
    }

    @Test
    void aReplyAboveThePeersLimitBecomesAnErrorNamingTheSizeAndTheLimit() {
        ByteBuf out = ReplyLimit.fit(this.alloc, reply(2000), 5, 1024, "bulk/blob");
        try {
            assertThat(out.getByte(4)).isEqualTo((byte) FrameType.ERROR.code());
            assertThat(out.getInt(6)).isEqualTo(5);
            Frames.ErrorBody e = Frames.readError(out.slice(Frames.HEADER, out.readableBytes() - Frames.HEADER));
            assertThat(e.status()).isEqualTo(Status.RESOURCE_EXHAUSTED);
            assertThat(e.message()).contains("bulk/blob").contains("2006 bytes").contains("MAX_FRAME_SIZE of 1024 bytes");
            assertThat(out.readableBytes() - 4).isLessThanOrEqualTo(1024);
        }
        finally {
            out.release();
        }
    }

    @Test
    void anErrorAboveThePeersLimitKeepsItsStatusWithItsMessageCut() {
        ByteBuf big = Frames.error(this.alloc, 5, Status.APPLICATION_ERROR, "x".repeat(3000));
        ByteBuf out = ReplyLimit.fit(this.alloc, big, 5, 1024, "bulk/blob");
        try {
            assertThat(out.readableBytes() - 4).isEqualTo(1024);
            Frames.ErrorBody e = Frames.readError(out.slice(Frames.HEADER, out.readableBytes() - Frames.HEADER));
            assertThat(e.status()).isEqualTo(Status.APPLICATION_ERROR);
            assertThat(e.message()).startsWith("xxx");
        }
        finally {
            out.release();
        }
    }
}
