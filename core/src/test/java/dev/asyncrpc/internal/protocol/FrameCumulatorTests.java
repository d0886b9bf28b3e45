package dev.asyncrpc.internal.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FrameCumulatorTests {

    /** A PIPE_DATA-typed frame of {@code payload} bytes, byte i of the payload being (byte) i. */
    private static ByteBuf frame(int payload) {
        ByteBuf b = Unpooled.buffer().writeInt(6 + payload).writeByte(FrameType.PIPE_DATA.code()).writeByte(0).writeInt(7);
        for (int i = 0; i < payload; i++) {
            b.writeByte(i);
        }
        return b;
    }

    private static void assertPayload(Frame f, int size) {
        ByteBuf p = f.payload();
        assertThat(p.readableBytes()).isEqualTo(size);
        for (int i = 0; i < size; i++) {
            assertThat(p.getByte(p.readerIndex() + i)).isEqualTo((byte) i);
        }
    }

    /** Whether {@code b} is, or is a view of, a composite buffer. */
    private static boolean overComposite(ByteBuf b) {
        for (ByteBuf x = b; x != null; x = x.unwrap()) {
            if (x instanceof CompositeByteBuf) {
                return true;
            }
        }
        return false;
    }

    @Test
    void aLargeFrameOverSeveralReadsIsJoinedWithoutACopy() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(1 << 20));
        ByteBuf two = Unpooled.buffer().writeBytes(frame(65536)).writeBytes(frame(65536));
        int total = two.readableBytes();
        ByteBuf copy = two.copy();
        two.release();
        // reads of 20,000 bytes: each frame spans four reads
        for (int at = 0; at < total; at += 20_000) {
            ch.writeInbound(copy.retainedSlice(at, Math.min(20_000, total - at)).copy());
        }
        copy.release();
        Frame a = ch.readInbound();
        Frame b = ch.readInbound();
        assertThat((Object) ch.readInbound()).isNull();
        assertPayload(a, 65536);
        assertPayload(b, 65536);
        assertThat(overComposite(a.payload())).isTrue();
        assertThat(overComposite(b.payload())).isTrue();
        a.release();
        b.release();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void smallFramesStayContiguous() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(1 << 20));
        ByteBuf three = Unpooled.buffer().writeBytes(frame(4000)).writeBytes(frame(4000)).writeBytes(frame(4000));
        ByteBuf first = three.readRetainedSlice(3000).copy();
        ByteBuf second = three.readRetainedSlice(5000).copy();
        ByteBuf rest = three.copy();
        three.release();
        ch.writeInbound(first);
        ch.writeInbound(second);
        ch.writeInbound(rest);
        for (int k = 0; k < 3; k++) {
            Frame f = ch.readInbound();
            assertPayload(f, 4000);
            assertThat(f.payload().nioBufferCount()).isEqualTo(1);
            assertThat(overComposite(f.payload())).isFalse();
            f.release();
        }
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void joinsWithoutACopyOnlyWhileALargeFrameIsAwaited() {
        assertThat(FrameCumulator.waitsForLargeFrame(Unpooled.buffer().writeShort(0))).isFalse(); // length not complete
        assertThat(FrameCumulator.waitsForLargeFrame(Unpooled.buffer().writeInt(FrameCumulator.LARGE - 5))).isFalse();
        assertThat(FrameCumulator.waitsForLargeFrame(Unpooled.buffer().writeInt(FrameCumulator.LARGE - 4))).isTrue();
        ByteBuf empty = Unpooled.buffer();
        ByteBuf in = Unpooled.buffer().writeInt(1);
        ByteBuf out = FrameCumulator.INSTANCE.cumulate(ByteBufAllocator.DEFAULT, empty, in);
        assertThat(out).isSameAs(in); // nothing held: the read itself, as Netty's merge cumulator does
        out.release();
    }
}
