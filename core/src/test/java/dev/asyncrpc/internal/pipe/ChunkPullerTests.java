package dev.asyncrpc.internal.pipe;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import dev.asyncrpc.RemoteCallException;
import dev.asyncrpc.Status;
import dev.asyncrpc.internal.codec.CodecException;
import dev.asyncrpc.internal.codec.ValueCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The pull side: batches across payloads, consumption reported once per payload, undecodable elements. */
class ChunkPullerTests {

    /** Raw UTF-8 strings; "bad" cannot be decoded. */
    private static final ValueCodec STRINGS = new ValueCodec() {
        @Override
        public void encode(Object value, ByteBuf out) {
            out.writeCharSequence((String) value, StandardCharsets.UTF_8);
        }

        @Override
        public Object decode(ByteBuf in) {
            String s = in.toString(StandardCharsets.UTF_8);
            if (s.equals("bad")) {
                throw new CodecException("bad element", null);
            }
            return s;
        }
    };

    private static ByteBuf payload(String... elements) {
        ByteBuf b = Unpooled.buffer();
        for (String e : elements) {
            b.writeInt(e.length()).writeCharSequence(e, StandardCharsets.UTF_8);
        }
        return b;
    }

    private static final class Side implements ChunkPuller.Side {
        final List<Integer> consumed = new ArrayList<>();
        final List<Integer> drained = new ArrayList<>();
        int grants;
        RemoteCallException undecodable;
        RemoteCallException failOnDrain;

        @Override
        public void drained(int have) {
            this.drained.add(have);
            if (this.failOnDrain != null && have == 0) {
                throw this.failOnDrain;
            }
        }

        @Override
        public boolean consumed(int bytes) {
            if (bytes > 0) {
                this.consumed.add(bytes);
            }
            return bytes > 0;
        }

        @Override
        public void grant() {
            this.grants++;
        }

        @Override
        public void undecodable(RemoteCallException ex) {
            this.undecodable = ex;
        }

        @Override
        public String describe() {
            return "the test pipe";
        }
    }

    @Test
    void pullsAcrossPayloadsWithinMaxAndReportsEachConsumedPayloadOnce() {
        InboundChunks chunks = new InboundChunks();
        Side side = new Side();
        ChunkPuller<String> puller = new ChunkPuller<>(chunks, side);
        ByteBuf first = payload("a", "b", "c");
        ByteBuf second = payload("d", "e");
        chunks.add(first, 3, first.readableBytes());
        chunks.add(second, 2, second.readableBytes());
        assertThat(puller.pull(2, STRINGS, false, () -> { })).containsExactly("a", "b");
        assertThat(side.consumed).as("the first payload is not used up").isEmpty();
        assertThat(puller.pull(10, STRINGS, false, () -> { })).containsExactly("c", "d", "e");
        assertThat(side.consumed).containsExactly(15, 10);
        assertThat(side.grants).isEqualTo(2);
        assertThat(side.drained).containsExactly(3);
        assertThat(first.refCnt()).isZero();
        assertThat(second.refCnt()).isZero();
        assertThat(puller.pull(1, STRINGS, false, () -> { })).isEmpty();
        assertThat(side.drained).containsExactly(3, 0);
    }

    @Test
    void theFailureComesFromTheSideOnlyWhenNothingWasPulled() {
        InboundChunks chunks = new InboundChunks();
        Side side = new Side();
        side.failOnDrain = new RemoteCallException(Status.PIPE_ERROR, "aborted");
        ChunkPuller<String> puller = new ChunkPuller<>(chunks, side);
        ByteBuf p = payload("x");
        chunks.add(p, 1, p.readableBytes());
        assertThat(puller.pull(5, STRINGS, false, () -> { })).containsExactly("x");
        assertThatThrownBy(() -> puller.pull(5, STRINGS, false, () -> { })).isSameAs(side.failOnDrain);
    }

    @Test
    void anUndecodableElementDropsItsPayloadAndFailsThePull() {
        InboundChunks chunks = new InboundChunks();
        Side side = new Side();
        ChunkPuller<String> puller = new ChunkPuller<>(chunks, side);
        ByteBuf p = payload("ok", "bad");
        chunks.add(p, 2, p.readableBytes());
        assertThatThrownBy(() -> puller.pull(5, STRINGS, false, () -> { })).isInstanceOfSatisfying(RemoteCallException.class, ex -> {
            assertThat(ex.status()).isEqualTo(Status.INVALID_ARGUMENT);
            assertThat(ex.description()).isEqualTo("cannot decode an element of the test pipe: bad element");
        });
        assertThat(side.undecodable).isNotNull();
        assertThat(side.consumed).as("a dropped payload is not consumed: no credit").isEmpty();
        assertThat(p.refCnt()).isZero();
    }

    @Test
    void refusesANonPositiveMax() {
        ChunkPuller<String> puller = new ChunkPuller<>(new InboundChunks(), new Side());
        assertThatThrownBy(() -> puller.pull(0, STRINGS, false, () -> { })).isInstanceOf(IllegalArgumentException.class);
    }
}
