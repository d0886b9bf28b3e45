package dev.asyncrpc.internal.protocol;

import java.util.LinkedHashMap;
import java.util.Map;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class MetadataReaderTests {

    private final MetadataReader reader = new MetadataReader();

    @Test
    void readsWhatFramesWrites() {
        Map<String, String> sent = new LinkedHashMap<>();
        sent.put("authorization", "Bearer abc.def.ghi");
        sent.put("tenant", "zürich");
        sent.put("empty", "");
        Map<String, String> read = read(sent);
        assertThat(read).containsExactlyEntriesOf(sent);
        assertThat(read).isUnmodifiable();
    }

    @Test
    void givesTheSameMapAndStringsForAnUnchangedBlock() {
        Map<String, String> sent = Map.of("authorization", "Bearer " + "x".repeat(500));
        Map<String, String> first = read(sent);
        Map<String, String> second = read(sent);
        assertThat(second).isSameAs(first);
        assertThat(second.get("authorization")).isSameAs(first.get("authorization"));
    }

    @Test
    void reusesTheUnchangedEntriesOfAChangedBlock() {
        Map<String, String> first = read(ordered("authorization", "Bearer token-1", "traceparent", "00-aaaa-01"));
        Map<String, String> second = read(ordered("authorization", "Bearer token-1", "traceparent", "00-bbbb-01"));
        assertThat(second).isNotSameAs(first).containsExactlyEntriesOf(ordered("authorization", "Bearer token-1", "traceparent", "00-bbbb-01"));
        assertThat(second.get("authorization")).isSameAs(first.get("authorization"));
    }

    @Test
    void seesEveryByteThatChanged() {
        Map<String, String> first = read(Map.of("authorization", "Bearer token-1"));
        // same length, one byte different: a different token must never pass for the one before
        Map<String, String> second = read(Map.of("authorization", "Bearer token-2"));
        assertThat(second.get("authorization")).isEqualTo("Bearer token-2");
        // the same value under another key
        Map<String, String> third = read(Map.of("authorizatioN", "Bearer token-2"));
        assertThat(third).containsExactly(Map.entry("authorizatioN", "Bearer token-2"));
        // a shorter block with the first entry unchanged: the later entries are gone
        read(ordered("a", "1", "b", "2"));
        assertThat(read(ordered("a", "1"))).containsExactly(Map.entry("a", "1"));
        assertThat(read(Map.of())).isEmpty();
        assertThat(first.get("authorization")).isEqualTo("Bearer token-1");
    }

    @Test
    void readsEntriesBeyondTheRememberedPositions() {
        Map<String, String> sent = new LinkedHashMap<>();
        for (int i = 0; i < MetadataReader.POSITIONS + 5; i++) {
            sent.put("k" + i, "v" + i);
        }
        assertThat(read(sent)).containsExactlyEntriesOf(sent);
        Map<String, String> again = read(sent);
        assertThat(again).containsExactlyEntriesOf(sent);
        sent.put("k" + (MetadataReader.POSITIONS + 2), "changed");
        assertThat(read(sent)).containsExactlyEntriesOf(sent);
    }

    @Test
    void refusesAnEntryThatRunsPastTheBlock() {
        ByteBuf block = Unpooled.buffer();
        block.writeShort(1).writeByte('k').writeShort(10).writeByte('v');
        try {
            assertThatExceptionOfType(ProtocolException.class).isThrownBy(() -> this.reader.read(block))
                .withMessageContaining("exceeds the metadata block");
        }
        finally {
            block.release();
        }
        ByteBuf truncated = Unpooled.buffer().writeByte(0);
        try {
            assertThatExceptionOfType(ProtocolException.class).isThrownBy(() -> this.reader.read(truncated))
                .withMessageContaining("truncated");
        }
        finally {
            truncated.release();
        }
    }

    private Map<String, String> read(Map<String, String> metadata) {
        ByteBuf buf = Unpooled.buffer();
        try {
            Frames.writeMetadata(buf, metadata, 8192);
            buf.skipBytes(2);
            Map<String, String> read = this.reader.read(buf);
            assertThat(buf.isReadable()).isFalse();
            return read;
        }
        finally {
            buf.release();
        }
    }

    private static Map<String, String> ordered(String... keysAndValues) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }
}
