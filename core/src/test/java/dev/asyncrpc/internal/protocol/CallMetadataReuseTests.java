package dev.asyncrpc.internal.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The sending side of metadata reuse, and what the receiving side reads from what it sends. */
class CallMetadataReuseTests {

    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

    private static final String TOKEN = "Bearer " + "t".repeat(500);

    private final CallMetadataReuse writer = new CallMetadataReuse(8192);

    private final MetadataReader reader = new MetadataReader();

    @Test
    void sendsAnUnchangedBlockOnce() {
        Map<String, String> metadata = Map.of("authorization", TOKEN);
        String first = send(call(Frames.CALL_DEADLINE | Frames.CALL_CAUSAL, metadata, 1));
        String second = send(call(Frames.CALL_DEADLINE | Frames.CALL_CAUSAL, metadata, 2));
        assertThat(first).isEqualTo(hex(call(Frames.CALL_DEADLINE | Frames.CALL_CAUSAL, metadata, 1)));
        // the same frame without the block (u16 length and entries), flags 0x07 -> 0x0b
        assertThat(second).isEqualTo(hex(callWithoutMetadata(Frames.CALL_DEADLINE | Frames.CALL_CAUSAL | Frames.CALL_SAME_METADATA, 2)));
    }

    @Test
    void goldenFrameWithSameMetadata() {
        send(call(0, Map.of("k", "v"), 1));
        // calc/add(1, 2) as call 2, flag SAME_METADATA (0x08), no block
        assertThat(send(call(0, Map.of("k", "v"), 2))).isEqualTo("0000001b100800000002000863616c632f6164640200000001010000000102");
    }

    @Test
    void sendsAChangedBlockAndRemembersIt() {
        send(call(0, Map.of("authorization", "Bearer a"), 1));
        String changed = send(call(0, Map.of("authorization", "Bearer b"), 2));
        assertThat(changed).isEqualTo(hex(call(0, Map.of("authorization", "Bearer b"), 2)));
        assertThat(flags(send(call(0, Map.of("authorization", "Bearer b"), 3)))).isEqualTo(Frames.CALL_SAME_METADATA);
    }

    @Test
    void callsWithoutMetadataLeaveTheRememberedBlock() {
        send(call(0, Map.of("k", "v"), 1));
        assertThat(send(call(0, Map.of(), 2))).isEqualTo(hex(call(0, Map.of(), 2)));
        assertThat(flags(send(call(0, Map.of("k", "v"), 3)))).isEqualTo(Frames.CALL_SAME_METADATA);
    }

    @Test
    void doesNotRememberABlockThePeerRefusesAsTooLarge() {
        CallMetadataReuse small = new CallMetadataReuse(16);
        Map<String, String> large = Map.of("authorization", TOKEN);
        for (int i = 1; i <= 2; i++) {
            ByteBuf out = small.apply(ALLOC, call(0, large, i));
            assertThat(flags(hexAndRelease(out))).isEqualTo(Frames.CALL_METADATA);
        }
    }

    @Test
    void neverChangesTheGivenFrame() {
        // a retried call's frame is shared with its other attempts
        Map<String, String> metadata = Map.of("k", "v");
        send(call(0, metadata, 1));
        ByteBuf frame = call(0, metadata, 2);
        String before = ByteBufUtil.hexDump(frame);
        frame.retain();
        try {
            ByteBuf out = this.writer.apply(ALLOC, frame);
            assertThat(out).isNotSameAs(frame);
            out.release();
            assertThat(ByteBufUtil.hexDump(frame)).isEqualTo(before);
        }
        finally {
            frame.release();
        }
    }

    @Test
    void slicesLargeArguments() {
        Map<String, String> metadata = Map.of("k", "v");
        byte[] large = new byte[CallMetadataReuse.COPY_LIMIT * 4];
        large[large.length - 1] = 7;
        send(call(0, metadata, 1, large));
        ByteBuf shared = call(0, metadata, 2, large).retain();
        try {
            ByteBuf out = this.writer.apply(ALLOC, shared);
            assertThat(out).isInstanceOf(io.netty.buffer.CompositeByteBuf.class);
            assertThat(hexAndRelease(out)).isEqualTo(hex(callWithoutMetadata(Frames.CALL_SAME_METADATA, 2, large)));
        }
        finally {
            shared.release();
        }
    }

    @Test
    void rewritesAFrameOnlyItHoldsInPlace() {
        Map<String, String> metadata = Map.of("authorization", TOKEN);
        send(call(Frames.CALL_CAUSAL, metadata, 1));
        ByteBuf frame = call(Frames.CALL_CAUSAL, metadata, 2);
        ByteBuf out = this.writer.apply(ALLOC, frame);
        assertThat(out).isSameAs(frame);
        assertThat(hexAndRelease(out)).isEqualTo(hex(callWithoutMetadata(Frames.CALL_CAUSAL | Frames.CALL_SAME_METADATA, 2)));
    }

    @Test
    void readerGivesTheRememberedMetadata() {
        Map<String, String> metadata = Map.of("authorization", TOKEN);
        Map<String, String> first = read(metadata);
        assertThat(this.reader.same(Frames.CALL_SAME_METADATA, true)).isSameAs(first).containsExactlyEntriesOf(metadata);
    }

    @Test
    void readerRefusesReuseWithNothingToReuse() {
        assertThatExceptionOfType(ProtocolException.class).isThrownBy(() -> this.reader.same(Frames.CALL_SAME_METADATA, true))
            .withMessage("CALL reuses the previous metadata, but no CALL carried metadata before on this connection");
    }

    @Test
    void readerRefusesReuseThatWasNotNegotiated() {
        read(Map.of("k", "v"));
        assertThatExceptionOfType(ProtocolException.class).isThrownBy(() -> this.reader.same(Frames.CALL_SAME_METADATA, false))
            .withMessage("CALL reuses the previous metadata, but METADATA_REUSE was not negotiated");
    }

    @Test
    void readerRefusesABlockAndReuseTogether() {
        read(Map.of("k", "v"));
        assertThatExceptionOfType(ProtocolException.class)
            .isThrownBy(() -> this.reader.same(Frames.CALL_SAME_METADATA | Frames.CALL_METADATA, true))
            .withMessage("CALL both carries metadata and reuses the previous metadata");
    }

    @Test
    void negotiatedOnlyWhenBothSidesAnnounceIt() {
        Settings on = Settings.DEFAULTS;
        Settings off = Settings.DEFAULTS.withMetadataReuse(false);
        assertThat(Settings.metadataReuse(on, on)).isTrue();
        assertThat(Settings.metadataReuse(on, off)).isFalse();
        assertThat(Settings.metadataReuse(off, on)).isFalse();
    }

    @Test
    void aHandshakeWithoutTheSettingIsReadAsNotSupportingIt() {
        // the four settings of a peer that does not know METADATA_REUSE
        ByteBuf payload = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump("415250430001000400010100000000020001"
                + "86a0000300100000000400002000"));
        assertThat(Frames.readHello(payload).settings().metadataReuse()).isFalse();
        assertThat(readBack(Settings.DEFAULTS).metadataReuse()).isTrue();
        assertThat(readBack(Settings.DEFAULTS.withMetadataReuse(false)).metadataReuse()).isFalse();
    }

    @Test
    void aSettingValueOtherThanZeroOrOneIsAProtocolError() {
        ByteBuf payload = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump("4152504300010001000500000002"));
        assertThatExceptionOfType(ProtocolException.class).isThrownBy(() -> Frames.readHello(payload))
            .withMessage("bad handshake setting 5: 2 (expected: 0 or 1)");
    }

    private static Settings readBack(Settings settings) {
        ByteBuf hello = Frames.hello(ALLOC, FrameType.HELLO, 1, settings);
        try {
            return Frames.readHello(hello.skipBytes(Frames.HEADER)).settings();
        }
        finally {
            hello.release();
        }
    }

    private String send(ByteBuf frame) {
        return hexAndRelease(this.writer.apply(ALLOC, frame));
    }

    private static String hexAndRelease(ByteBuf frame) {
        try {
            return ByteBufUtil.hexDump(frame);
        }
        finally {
            frame.release();
        }
    }

    private static int flags(String hex) {
        return Integer.parseInt(hex.substring(10, 12), 16);
    }

    private static String hex(ByteBuf frame) {
        return hexAndRelease(frame);
    }

    private Map<String, String> read(Map<String, String> metadata) {
        ByteBuf block = Unpooled.buffer();
        try {
            Frames.writeMetadata(block, metadata, 0xFFFF);
            return this.reader.read(block.skipBytes(2));
        }
        finally {
            block.release();
        }
    }

    /** calc/add(1, 2) with the given flags' fields and the metadata ({@code CALL_METADATA} added if not empty). */
    private static ByteBuf call(int flags, Map<String, String> metadata, int id) {
        return call(flags, metadata, id, null);
    }

    private static ByteBuf call(int flags, Map<String, String> metadata, int id, byte[] arg) {
        int f = flags | (metadata.isEmpty() ? 0 : Frames.CALL_METADATA);
        ByteBuf buf = Frames.start(ALLOC, FrameType.CALL, f, id, 64);
        fields(buf, flags);
        if (!metadata.isEmpty()) {
            Frames.writeMetadata(buf, metadata, 0xFFFF);
        }
        arguments(buf, arg);
        return Frames.finish(buf);
    }

    private static ByteBuf callWithoutMetadata(int flags, int id) {
        return callWithoutMetadata(flags, id, null);
    }

    private static ByteBuf callWithoutMetadata(int flags, int id, byte[] arg) {
        ByteBuf buf = Frames.start(ALLOC, FrameType.CALL, flags, id, 64);
        fields(buf, flags);
        arguments(buf, arg);
        return Frames.finish(buf);
    }

    private static void fields(ByteBuf buf, int flags) {
        byte[] name = "calc/add".getBytes(StandardCharsets.UTF_8);
        buf.writeShort(name.length).writeBytes(name);
        if ((flags & Frames.CALL_DEADLINE) != 0) {
            buf.writeInt(1000);
        }
        if ((flags & Frames.CALL_CAUSAL) != 0) {
            buf.writeInt(42);
        }
    }

    private static void arguments(ByteBuf buf, byte[] arg) {
        if (arg == null) {
            buf.writeByte(2).writeInt(1).writeByte(1).writeInt(1).writeByte(2);
        }
        else {
            buf.writeByte(1).writeInt(arg.length).writeBytes(arg);
        }
    }
}
