package dev.asyncrpc.internal.protocol;

import java.util.LinkedHashMap;
import java.util.Map;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class MetadataWriterTests {

    private final MetadataWriter writer = new MetadataWriter();

    @Test
    void writesTheSameBytesAsFrames() {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("authorization", "Bearer abc.def");
        metadata.put("tenant", "zürich");
        for (int round = 0; round < 3; round++) {
            assertThat(written(metadata)).isEqualTo(reference(metadata));
        }
    }

    @Test
    void writesAChangedEntryAfresh() {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("authorization", "Bearer token-1");
        metadata.put("traceparent", "00-aaaa-01");
        written(metadata);
        metadata.put("traceparent", "00-bbbb-01");
        assertThat(written(metadata)).isEqualTo(reference(metadata));
        metadata.put("authorization", "Bearer token-2");
        assertThat(written(metadata)).isEqualTo(reference(metadata));
        assertThat(written(Map.of("authorization", "Bearer token-2"))).isEqualTo(reference(Map.of("authorization", "Bearer token-2")));
        assertThat(written(Map.of())).isEqualTo(reference(Map.of()));
    }

    @Test
    void writesEntriesBeyondTheRememberedPositions() {
        Map<String, String> metadata = new LinkedHashMap<>();
        for (int i = 0; i < MetadataWriter.POSITIONS + 3; i++) {
            metadata.put("k" + i, "v" + i);
        }
        assertThat(written(metadata)).isEqualTo(reference(metadata));
        assertThat(written(metadata)).isEqualTo(reference(metadata));
    }

    @Test
    void refusesABlockOverTheLimitEveryTime() {
        Map<String, String> metadata = Map.of("authorization", "Bearer " + "x".repeat(100));
        for (int round = 0; round < 2; round++) {
            ByteBuf buf = Unpooled.buffer();
            try {
                assertThatIllegalArgumentException().isThrownBy(() -> this.writer.write(buf, metadata, 64))
                    .withMessageContaining("exceeds the limit of 64");
            }
            finally {
                buf.release();
            }
        }
    }

    private byte[] written(Map<String, String> metadata) {
        ByteBuf buf = Unpooled.buffer();
        try {
            this.writer.write(buf, metadata, 8192);
            return ByteBufUtil.getBytes(buf);
        }
        finally {
            buf.release();
        }
    }

    private static byte[] reference(Map<String, String> metadata) {
        ByteBuf buf = Unpooled.buffer();
        try {
            Frames.writeMetadata(buf, metadata, 8192);
            return ByteBufUtil.getBytes(buf);
        }
        finally {
            buf.release();
        }
    }
}
