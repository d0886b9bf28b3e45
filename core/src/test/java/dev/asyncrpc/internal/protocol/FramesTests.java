package dev.asyncrpc.internal.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FramesTests {

    private final PooledByteBufAllocator pooled = new PooledByteBufAllocator(true);

    @Test
    void aFrameExpectedToBeSmallIsBuiltOnTheHeapAndALargerOneInAPooledDirectBuffer() {
        ByteBuf small = Frames.startSized(this.pooled, FrameType.REPLY, 0, 7, Frames.HEAP_FRAME_MAX - Frames.HEADER);
        ByteBuf large = Frames.startSized(this.pooled, FrameType.REPLY, 0, 7, Frames.HEAP_FRAME_MAX - Frames.HEADER + 1);
        try {
            assertThat(small.isDirect()).isFalse();
            assertThat(small.alloc()).isNotSameAs(this.pooled);
            assertThat(large.isDirect()).isTrue();
            assertThat(large.alloc()).isSameAs(this.pooled);
        }
        finally {
            small.release();
            large.release();
        }
    }

    @Test
    void aSmallFrameStillGrowsPastItsExpectedSizeAndFinishesWithItsLength() {
        ByteBuf frame = Frames.startSized(this.pooled, FrameType.CALL, 0x02, 9, 16);
        try {
            frame.writeBytes(new byte[5000]); // the hint was wrong: the buffer grows
            Frames.finish(frame);
            assertThat(frame.getInt(0)).isEqualTo(frame.readableBytes() - Frames.LENGTH_FIELD);
            assertThat((int) frame.getByte(4)).isEqualTo((int) FrameType.CALL.code());
            assertThat(frame.getByte(5)).isEqualTo((byte) 0x02);
            assertThat(frame.getInt(6)).isEqualTo(9);
        }
        finally {
            frame.release();
        }
    }
}
