package dev.asyncrpc.benchmarks;

import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Smoke test: the Spring Boot drivers, without and with bearer tokens, echo without failures. */
class SpringBearerDriverTests {

    static final java.util.List<String> systems = UnaryBenchmark.SECURITY_SYSTEMS;

    @ParameterizedTest
    @FieldSource("systems")
    void driverCompletesCallsWithoutFailures(String system) throws Exception {
        try (Driver driver = UnaryBenchmark.driver(system)) {
            driver.start();
            Window window = new Window(driver, new byte[64]);
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
}
