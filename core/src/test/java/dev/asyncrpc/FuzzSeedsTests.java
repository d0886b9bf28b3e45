package dev.asyncrpc;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The seeds are well-formed frames, and the committed corpus holds exactly their bytes. */
class FuzzSeedsTests {

    @Test
    void everySeedFrameHasAConsistentLengthField() {
        for (byte[] frame : FuzzSeeds.frames()) {
            assertThat(ByteBuffer.wrap(frame).getInt()).as(dev.asyncrpc.test.RawConnection.hex(frame)).isEqualTo(frame.length - 4);
        }
    }

    @Test
    void theCommittedCorpusHoldsTheSeeds() throws IOException {
        Path resources = Path.of("src/test/resources");
        for (Map.Entry<String, Path> target : FuzzSeeds.targets(resources).entrySet()) {
            Map<String, byte[]> seeds = target.getKey().startsWith("values") ? FuzzSeeds.values() : FuzzSeeds.connections();
            for (Map.Entry<String, byte[]> seed : seeds.entrySet()) {
                Path file = target.getValue().resolve("seed-" + seed.getKey());
                assertThat(file).as("run FuzzSeeds.main to write it").exists();
                assertThat(Files.readAllBytes(file)).as(file.toString()).isEqualTo(seed.getValue());
            }
        }
    }
}
