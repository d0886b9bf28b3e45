package dev.asyncrpc.benchmarks;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Smoke test: each streaming driver completes small transfers and the server counts every byte. */
class StreamBenchmarkTests {

    static final java.util.List<String> systems = StreamBenchmark.ALL_SYSTEMS;

    @ParameterizedTest
    @FieldSource("systems")
    @Timeout(60)
    void driverStreamsEveryByte(String system) throws Exception {
        try (StreamDriver driver = StreamBenchmark.driver(system)) {
            driver.start();
            Duration timeout = Duration.ofSeconds(20);
            // 64 KiB and 4 KiB chunks, a short last chunk, an empty stream, and a second transfer on the same connection
            assertThat(StreamBenchmark.measure(driver, StreamBenchmark.chunk(64 * 1024), 4L << 20, timeout)).isPositive();
            assertThat(driver.transfer(StreamBenchmark.chunk(4096), (1L << 20) + 1000, timeout.toNanos())).isEqualTo((1L << 20) + 1000);
            assertThat(driver.transfer(StreamBenchmark.chunk(4096), 0, timeout.toNanos())).isZero();
            assertThat(driver.transfer(StreamBenchmark.chunk(4096), 12345, timeout.toNanos())).isEqualTo(12345);
        }
    }

    @Test
    void settingsNameTheBadValue() {
        assertThat(StreamBenchmark.Config.from(new String[0]).bytes()).isEqualTo(2L << 30);
        assertThat(StreamBenchmark.Config.from(new String[] { "chunks=64k,4096" }).chunks()).containsExactly(65536, 4096);
        assertThatIllegalArgumentException().isThrownBy(() -> StreamBenchmark.Config.from(new String[] { "bytes=lots" }))
                .withMessageContaining("bytes: 'lots'");
        assertThatIllegalArgumentException().isThrownBy(() -> StreamBenchmark.Config.from(new String[] { "systems=thrift" }))
                .withMessageContaining("systems: 'thrift'");
    }
}
