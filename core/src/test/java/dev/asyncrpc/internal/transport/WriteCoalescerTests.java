package dev.asyncrpc.internal.transport;

import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WriteCoalescerTests {

    @Test
    void smallFramesWrittenBetweenTwoFlushesLeaveAsOneBuffer() {
        EmbeddedChannel ch = new EmbeddedChannel(new WriteCoalescer());
        List<ByteBuf> frames = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            ByteBuf f = frame(i, 80);
            frames.add(f);
            ch.write(f, ch.voidPromise());
        }
        assertThat(ch.outboundMessages()).isEmpty(); // held until the flush
        ch.flush();
        assertThat(ch.outboundMessages()).hasSize(1);
        assertThat(drain(ch)).isEqualTo(expected(0, 100, 80));
        assertThat(frames).allSatisfy(f -> assertThat(f.refCnt()).isZero()); // copied, then released
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void aLoneFrameGoesAsItIsWithoutACopy() {
        EmbeddedChannel ch = new EmbeddedChannel(new WriteCoalescer());
        ByteBuf f = frame(7, 80);
        ch.write(f, ch.voidPromise());
        ch.flush();
        Object out = ch.readOutbound();
        assertThat(out).isSameAs(f);
        f.release();
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void aLargeFrameOrAWriteWithItsOwnPromiseComesAfterWhatIsHeld() {
        EmbeddedChannel ch = new EmbeddedChannel(new WriteCoalescer());
        ch.write(frame(1, 100), ch.voidPromise());
        ch.write(frame(2, 100), ch.voidPromise());
        ByteBuf large = frame(3, WriteCoalescer.MAX_JOINED_FRAME + 1);
        ch.write(large, ch.voidPromise());
        ch.write(frame(4, 100), ch.voidPromise());
        ChannelFuture own = ch.write(frame(5, 100)); // a promise of its own: not held
        ch.flush();
        assertThat(own.isSuccess()).isTrue();
        assertThat(ch.outboundMessages()).hasSize(4); // [1+2], 3, [4], 5
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        all.writeBytes(expected(1, 2, 100));
        all.writeBytes(expected(3, 1, WriteCoalescer.MAX_JOINED_FRAME + 1));
        all.writeBytes(expected(4, 2, 100));
        assertThat(drain(ch)).isEqualTo(all.toByteArray());
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void aFullJoinedBufferIsWrittenOutAndFlushedAndANewOneStarted() {
        WriteCoalescer coalescer = new WriteCoalescer();
        EmbeddedChannel ch = new EmbeddedChannel(coalescer);
        int size = 1000;
        int perBuffer = WriteCoalescer.BATCH_CAPACITY / size; // 8 frames of 1,000 bytes fit in 8 KiB
        int count = 20; // two full buffers and 4 frames held
        for (int i = 0; i < count; i++) {
            ch.write(frame(i, size), ch.voidPromise());
            assertThat(coalescer.heldBytes()).isLessThanOrEqualTo(WriteCoalescer.BATCH_CAPACITY);
            // a full buffer reaches the channel flushed, without waiting for the caller's flush
            assertThat(ch.outboundMessages()).hasSize(i / perBuffer);
        }
        assertThat(coalescer.heldBytes()).isEqualTo((count - 2 * perBuffer) * size);
        ch.flush();
        assertThat(ch.outboundMessages()).hasSize(3);
        for (Object m : ch.outboundMessages()) {
            assertThat(((ByteBuf) m).readableBytes()).isLessThanOrEqualTo(WriteCoalescer.BATCH_CAPACITY);
        }
        assertThat(drain(ch)).isEqualTo(expected(0, count, size));
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void closeWritesOutWhatIsHeldAndRemovalReleasesIt() {
        EmbeddedChannel ch = new EmbeddedChannel(new WriteCoalescer());
        ByteBuf a = frame(1, 50);
        ByteBuf b = frame(2, 50);
        ch.write(a, ch.voidPromise());
        ch.write(b, ch.voidPromise());
        ch.close(); // unflushed writes are failed and released by the channel on close
        assertThat(a.refCnt()).isZero();
        assertThat(b.refCnt()).isZero();
        assertThat(ch.outboundMessages()).isEmpty();

        EmbeddedChannel other = new EmbeddedChannel(new WriteCoalescer());
        ByteBuf c = frame(3, 50);
        other.write(c, other.voidPromise());
        other.pipeline().removeFirst();
        assertThat(c.refCnt()).isZero();
        other.finishAndReleaseAll();
    }

    /** A frame of {@code size} bytes whose every byte is {@code tag}. */
    private static ByteBuf frame(int tag, int size) {
        ByteBuf b = Unpooled.directBuffer(size);
        for (int i = 0; i < size; i++) {
            b.writeByte(tag);
        }
        return b;
    }

    /** The bytes of {@code count} frames tagged from {@code first}, in order. */
    private static byte[] expected(int first, int count, int size) {
        byte[] b = new byte[count * size];
        for (int i = 0; i < count; i++) {
            java.util.Arrays.fill(b, i * size, (i + 1) * size, (byte) (first + i));
        }
        return b;
    }

    /** Everything written out, concatenated; the written buffers are released. */
    private static byte[] drain(EmbeddedChannel ch) {
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        Object m;
        while ((m = ch.readOutbound()) != null) {
            ByteBuf b = (ByteBuf) m;
            byte[] bytes = new byte[b.readableBytes()];
            b.readBytes(bytes);
            all.writeBytes(bytes);
            b.release();
        }
        return all.toByteArray();
    }
}
