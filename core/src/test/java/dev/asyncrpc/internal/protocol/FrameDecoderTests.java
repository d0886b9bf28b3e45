package dev.asyncrpc.internal.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FrameDecoderTests {

    private final List<Throwable> errors = new ArrayList<>();

    private EmbeddedChannel channel() {
        return new EmbeddedChannel(new FrameDecoder(1024), new ChannelInboundHandlerAdapter() {
            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                FrameDecoderTests.this.errors.add(cause.getCause() != null ? cause.getCause() : cause);
            }
        });
    }

    private static ByteBuf frame(int type, int payload) {
        return Unpooled.buffer().writeInt(6 + payload).writeByte(type).writeByte(0).writeInt(1).writeZero(payload);
    }

    @Test
    void afterTheFirstErrorEverythingIsDiscardedAndNoSecondErrorIsRaised() {
        EmbeddedChannel ch = channel();
        ByteBuf in = Unpooled.buffer().writeInt(5000).writeByte(0x10).writeByte(0).writeInt(1); // above maxFrameSize 1024
        ch.writeInbound(in);
        ch.writeInbound(frame(0x7f, 3)); // unknown type: would be a second error
        ch.writeInbound(frame(0x30, 8)); // a good PING: not decoded any more
        assertThat(this.errors).singleElement().isInstanceOfSatisfying(ProtocolException.class, ex -> {
            assertThat(ex.kind()).isEqualTo("frame-length");
            assertThat(ex.getMessage()).isEqualTo("frame length 5000 exceeds maxFrameSize 1024");
        });
        assertThat((Object) ch.readInbound()).isNull();
        ch.finishAndReleaseAll();
    }

    @Test
    void anUnknownTypeIsRefusedBeforeThePayloadArrives() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(Unpooled.buffer().writeInt(1000).writeByte(0x7f));
        assertThat(this.errors).singleElement().isInstanceOfSatisfying(ProtocolException.class,
                ex -> assertThat(ex.kind()).isEqualTo("frame-type"));
        ch.finishAndReleaseAll();
    }

    @Test
    void reportsTheIncompleteFrameItHolds() {
        FrameDecoder decoder = new FrameDecoder(1024);
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        ByteBuf f = frame(0x10, 500);
        ch.writeInbound(f.readRetainedSlice(100));
        assertThat(decoder.partialFrameLength()).isEqualTo(510);
        assertThat(decoder.framesDecoded()).isZero();
        ch.writeInbound(f.readRetainedSlice(f.readableBytes()));
        assertThat(decoder.partialFrameLength()).isZero();
        assertThat(decoder.framesDecoded()).isOne();
        f.release();
        ((Frame) ch.readInbound()).release();
        ch.finishAndReleaseAll();
    }

    /** A backlog that records what the decoder asks and runs the next turn when the test says. */
    private static final class RecordingBacklog implements FrameDecoder.Backlog {

        final List<String> events = new ArrayList<>();
        Runnable nextTurn;

        @Override
        public void holding(Runnable nextTurn) {
            this.events.add("holding");
            this.nextTurn = nextTurn;
        }

        @Override
        public void released() {
            this.events.add("released");
        }

        void runNextTurn() {
            Runnable turn = this.nextTurn;
            this.nextTurn = null;
            turn.run();
        }
    }

    /** Counts frames and read batches after the decoder. */
    private static final class Batches extends ChannelInboundHandlerAdapter {

        final List<Integer> sizes = new ArrayList<>();
        int current;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ((Frame) msg).release();
            this.current++;
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            this.sizes.add(this.current);
            this.current = 0;
        }
    }

    private static ByteBuf frames(int count) {
        ByteBuf all = Unpooled.buffer();
        for (int i = 0; i < count; i++) {
            ByteBuf f = frame(0x30, 8);
            all.writeBytes(f);
            f.release();
        }
        return all;
    }

    @Test
    void passesOnAtMostItsQuotaPerReadBatchAndTheRestInTurnsOfTheirOwn() {
        RecordingBacklog backlog = new RecordingBacklog();
        Batches batches = new Batches();
        FrameDecoder decoder = new FrameDecoder(1024, 4, backlog);
        EmbeddedChannel ch = new EmbeddedChannel(decoder, batches);
        ch.writeInbound(frames(10)); // one read batch
        assertThat(batches.sizes).containsExactly(4);
        assertThat(decoder.isHolding()).isTrue();
        assertThat(backlog.events).containsExactly("holding");
        assertThat(decoder.partialFrameLength()).as("what is held is complete: no frame read timeout, no budget charge").isZero();
        backlog.runNextTurn();
        assertThat(batches.sizes).containsExactly(4, 4);
        assertThat(backlog.events).containsExactly("holding", "holding");
        backlog.runNextTurn();
        assertThat(batches.sizes).containsExactly(4, 4, 2);
        assertThat(backlog.events).containsExactly("holding", "holding", "released");
        assertThat(decoder.isHolding()).isFalse();
        assertThat(decoder.framesDecoded()).isEqualTo(10);
        ch.writeInbound(frames(3)); // the next read batch has its whole quota again
        assertThat(batches.sizes).containsExactly(4, 4, 2, 3);
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void bytesThatArriveWhileFramesAreHeldWaitBehindThem() {
        RecordingBacklog backlog = new RecordingBacklog();
        Batches batches = new Batches();
        FrameDecoder decoder = new FrameDecoder(1024, 4, backlog);
        EmbeddedChannel ch = new EmbeddedChannel(decoder, batches);
        ch.writeInbound(frames(6));
        ch.writeInbound(frames(2)); // read although the backlog should have paused reading: held too, in order
        assertThat(batches.sizes).containsExactly(4, 0);
        backlog.runNextTurn();
        assertThat(batches.sizes).containsExactly(4, 0, 4);
        assertThat(backlog.events).containsExactly("holding", "released");
        assertThat(decoder.framesDecoded()).isEqualTo(8);
        ch.finishAndReleaseAll();
    }

    @Test
    void aPartialFrameAfterTheHeldOnesIsReportedOnceTheyArePassedOn() {
        RecordingBacklog backlog = new RecordingBacklog();
        FrameDecoder decoder = new FrameDecoder(1024, 2, backlog);
        EmbeddedChannel ch = new EmbeddedChannel(decoder, new Batches());
        ByteBuf in = frames(3);
        ByteBuf big = frame(0x10, 500);
        in.writeBytes(big, 0, 100);
        big.release();
        ch.writeInbound(in);
        assertThat(decoder.partialFrameLength()).isZero();
        backlog.runNextTurn();
        assertThat(decoder.isHolding()).isFalse();
        assertThat(decoder.partialFrameLength()).isEqualTo(510);
        assertThat(backlog.events).containsExactly("holding", "released");
        ch.finishAndReleaseAll();
    }

    @Test
    void whatIsHeldIsDroppedWhenTheInputCloses() {
        RecordingBacklog backlog = new RecordingBacklog();
        Batches batches = new Batches();
        FrameDecoder decoder = new FrameDecoder(1024, 4, backlog);
        EmbeddedChannel ch = new EmbeddedChannel(decoder, batches);
        ch.writeInbound(frames(10));
        ch.close(); // channelInactive: the decoder's last decode
        assertThat(decoder.framesDecoded()).isEqualTo(4);
        assertThat(batches.sizes).containsExactly(4);
        assertThat(decoder.isHolding()).isFalse();
        backlog.runNextTurn(); // a turn scheduled before the close does nothing
        assertThat(batches.sizes).containsExactly(4);
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void withoutAQuotaNothingIsHeld() {
        Batches batches = new Batches();
        FrameDecoder decoder = new FrameDecoder(1024);
        EmbeddedChannel ch = new EmbeddedChannel(decoder, batches);
        ch.writeInbound(frames(10));
        ch.close();
        assertThat(decoder.framesDecoded()).isEqualTo(10);
        ch.finishAndReleaseAll();
    }

    @Test
    void anErrorInALaterTurnIsRaisedOnceAndReleasesTheBacklog() {
        RecordingBacklog backlog = new RecordingBacklog();
        FrameDecoder decoder = new FrameDecoder(1024, 2, backlog);
        EmbeddedChannel ch = new EmbeddedChannel(decoder, new Batches(), new ChannelInboundHandlerAdapter() {
            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                FrameDecoderTests.this.errors.add(cause.getCause() != null ? cause.getCause() : cause);
            }
        });
        ByteBuf in = frames(3);
        in.writeInt(5000).writeByte(0x10); // above maxFrameSize, behind the held frames
        ch.writeInbound(in);
        assertThat(this.errors).isEmpty();
        backlog.runNextTurn();
        assertThat(this.errors).singleElement().isInstanceOfSatisfying(ProtocolException.class, ex -> assertThat(ex.kind()).isEqualTo("frame-length"));
        assertThat(decoder.isFailed()).isTrue();
        assertThat(decoder.framesDecoded()).isEqualTo(3);
        assertThat(backlog.events).containsExactly("holding", "released");
        ch.finishAndReleaseAll();
    }

    @Test
    void aQuotaNeedsABacklog() {
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException().isThrownBy(() -> new FrameDecoder(1024, 4, null))
                .withMessageContaining("backlog");
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException().isThrownBy(() -> new FrameDecoder(1024, -1, null))
                .withMessage("framesPerTurn: -1 (expected: >= 0)");
    }
}
