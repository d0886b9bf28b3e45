package dev.asyncrpc.benchmarks;

import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Smoke test: each driver echoes for a fraction of a second with calls outstanding. */
class UnaryBenchmarkTests {

    static final java.util.List<String> systems = java.util.stream.Stream.concat(UnaryBenchmark.ALL_SYSTEMS.stream(),
            UnaryBenchmark.EXTRA_SYSTEMS.stream()).toList();

    @ParameterizedTest
    @FieldSource("systems")
    void driverCompletesCallsWithoutFailures(String system) throws Exception {
        byte[] payload = new byte[64];
        try (Driver driver = UnaryBenchmark.driver(system)) {
            driver.start();
            Window window = new Window(driver, payload);
            // a loaded machine may need several slices before the first calls complete (connection set-up, JIT)
            long calls = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (calls == 0 && System.nanoTime() < deadline) {
                Window.Segment s = window.run(8, 0, Duration.ofMillis(300).toNanos());
                assertThat(window.firstFailure()).isNull();
                assertThat(s.failures()).isZero();
                calls += s.calls();
            }
            assertThat(calls).isPositive();
        }
    }

    @org.junit.jupiter.api.Test
    void settingsNameTheBadValue() {
        assertThatIllegalArgumentException().isThrownBy(() -> UnaryBenchmark.Config.from(new String[] { "measure=soon" }))
                .withMessageContaining("measure: 'soon'");
        assertThatIllegalArgumentException().isThrownBy(() -> UnaryBenchmark.Config.from(new String[] { "systems=thrift" }))
                .withMessageContaining("systems: 'thrift'");
    }
}
