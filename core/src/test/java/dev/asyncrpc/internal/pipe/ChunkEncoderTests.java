package dev.asyncrpc.internal.pipe;

import java.util.Collections;
import java.util.List;

import dev.asyncrpc.internal.codec.Codecs;
import dev.asyncrpc.internal.protocol.PipeFrames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Raw frames are allocated for exactly the elements they will carry (no growth, which is a copy,
 * and no oversized buffer for a large element), with room for small pushes only where one fits.
 */
class ChunkEncoderTests {

    private static final int WINDOW = 1024 * 1024;

    private final ChunkEncoder encoder = encoder(WINDOW);

    private List<ChunkEncoder.Encoded> frames = List.of();

    private static ChunkEncoder encoder(int window) {
        return new ChunkEncoder(new Codecs().forType(byte[].class), true, 2, window, 16 * 1024 * 1024, () -> "the test pipe");
    }

    @AfterEach
    void release() {
        this.frames.forEach(f -> f.frame().release());
        this.frames = List.of();
    }

    @Test
    void aLargeElementGetsExactlyItsFrameEvenWhileTheWriterIsBusy() {
        List<byte[]> one = List.of(new byte[65536]);
        assertThat(this.encoder.rawFrameBytes(one, 0, false)).isEqualTo(65540);
        assertThat(this.encoder.rawFrameBytes(one, 0, true)).as("no room for a second one within the soft target").isEqualTo(65540);
        this.frames = this.encoder.encode(one, true);
        assertThat(this.frames).singleElement().satisfies(f -> {
            assertThat(f.size()).isEqualTo(PipeFrames.DATA_HEADER + 65540);
            assertThat(f.frame().capacity()).isGreaterThanOrEqualTo(f.frame().readableBytes());
        });
    }

    @Test
    void elementsThatShareAFrameAreAllocatedTogether() {
        List<byte[]> elements = List.of(new byte[65536], new byte[65536], new byte[100]);
        assertThat(this.encoder.rawFrameBytes(elements, 0, true)).as("sealed at the soft target").isEqualTo(2 * 65540);
        assertThat(this.encoder.rawFrameBytes(elements, 2, false)).isEqualTo(104);
        assertThat(this.encoder.rawFrameBytes(elements, 2, true)).as("busy: room for 7 more like it").isEqualTo(8 * 104);
        this.frames = this.encoder.encode(elements, true);
        assertThat(this.frames).extracting(ChunkEncoder.Encoded::elements).containsExactly(2, 1);
        assertThat(this.frames).extracting(ChunkEncoder.Encoded::size).containsExactly(PipeFrames.DATA_HEADER + 2 * 65540,
                PipeFrames.DATA_HEADER + 104);
    }

    @Test
    void theRoomLeftForSmallPushesStaysWithinTheSoftTarget() {
        List<byte[]> one = List.of(new byte[20_000]);
        assertThat(this.encoder.rawFrameBytes(one, 0, false)).isEqualTo(20_004);
        assertThat(this.encoder.rawFrameBytes(one, 0, true)).isEqualTo(ChunkEncoder.SOFT_FRAME_BYTES - PipeFrames.DATA_HEADER);
    }

    @Test
    void framesAreCutAtTheCapAsEncodingCutsThem() {
        ChunkEncoder small = encoder(64 * 1024);
        assertThat(small.frameCap()).isEqualTo(32 * 1024);
        List<byte[]> elements = Collections.nCopies(5, new byte[10_000]);
        assertThat(small.rawFrameBytes(elements, 0, false)).as("three fit in 32 KiB").isEqualTo(3 * 10_004);
        assertThat(small.rawFrameBytes(elements, 3, false)).isEqualTo(2 * 10_004);
        this.frames = small.encode(elements, false);
        assertThat(this.frames).extracting(ChunkEncoder.Encoded::elements).containsExactly(3, 2);
        assertThat(this.frames).extracting(ChunkEncoder.Encoded::size).containsExactly(PipeFrames.DATA_HEADER + 3 * 10_004,
                PipeFrames.DATA_HEADER + 2 * 10_004);
    }

    @Test
    void manyEmptyElementsAreSealedAtTheSoftTarget() {
        List<byte[]> elements = Collections.nCopies(40_000, new byte[0]);
        assertThat(this.encoder.rawFrameBytes(elements, 0, true)).isEqualTo(4 * 32_768);
        this.frames = this.encoder.encode(elements, true);
        assertThat(this.frames).extracting(ChunkEncoder.Encoded::elements).containsExactly(32_768, 40_000 - 32_768);
    }
}
