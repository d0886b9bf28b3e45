package dev.asyncrpc.spring.autoconfigure.observability;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.asyncrpc.AsyncCall;
import dev.asyncrpc.AsyncRpcServer;
import dev.asyncrpc.CancelMode;
import dev.asyncrpc.RemoteCallException;
import dev.asyncrpc.Status;
import dev.asyncrpc.spring.ImportRemoteServices;
import dev.asyncrpc.spring.autoconfigure.AsyncRpcClientAutoConfiguration;
import dev.asyncrpc.spring.autoconfigure.AsyncRpcServerAutoConfiguration;
import dev.asyncrpc.spring.autoconfigure.AsyncRpcServerLifecycle;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.search.RequiredSearch;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Real calls between a server and a client in one context, with Spring Boot's Micrometer
 * auto-configuration and a {@link SimpleMeterRegistry}: timers from the observations, gauges and
 * counters from {@link AsyncRpcMetrics}.
 */
@Timeout(60)
class AsyncRpcMetricsAutoConfigurationTests {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class, MetricsAutoConfiguration.class,
                CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
                AsyncRpcServerAutoConfiguration.class, AsyncRpcClientAutoConfiguration.class,
                AsyncRpcObservationAutoConfiguration.class, AsyncRpcMetricsAutoConfiguration.class))
        .withBean(MeteredEndpoint.class)
        .withUserConfiguration(ImportMetered.class)
        .withPropertyValues("asyncrpc.server.port=0", "asyncrpc.server.address=127.0.0.1",
                "asyncrpc.client.services.metered.address=${local.asyncrpc.server.address}");

    @Test
    void registryHoldsExactlyTheCallsMadeByTagOnBothSides() {
        this.runner.run((context) -> {
            Metered.Plain plain = context.getBean(Metered.Plain.class);
            Metered.Async async = context.getBean(Metered.Async.class);
            MeteredEndpoint endpoint = context.getBean(MeteredEndpoint.class);
            for (int i = 0; i < 5; i++) {
                assertThat(plain.greet("plain " + i)).isEqualTo("Hello, plain " + i);
            }
            for (int i = 0; i < 2; i++) {
                assertThatExceptionOfType(RemoteCallException.class).isThrownBy(() -> plain.greet(" "))
                    .satisfies((ex) -> assertThat(ex.status()).isEqualTo(Status.APPLICATION_ERROR));
            }
            for (int i = 0; i < 3; i++) {
                assertThat(async.greet("async " + i).join(WAIT)).isEqualTo("Hello, async " + i);
            }
            AsyncCall<String> released = async.hold("released");
            endpoint.awaitHeld(WAIT);
            endpoint.release("released");
            assertThat(released.join(WAIT)).isEqualTo("released released");
            AsyncCall<String> abortive = async.hold("abortive");
            endpoint.awaitHeld(WAIT);
            assertThat(abortive.cancel(CancelMode.ABORTIVE)).isTrue();
            AsyncCall<String> graceful = async.hold("graceful");
            endpoint.awaitHeld(WAIT);
            assertThat(graceful.cancel(CancelMode.GRACEFUL)).isTrue();
            assertThatExceptionOfType(RemoteCallException.class).isThrownBy(() -> graceful.join(WAIT))
                .satisfies((ex) -> assertThat(ex.status()).isEqualTo(Status.CANCELLED));

            MeterRegistry registry = context.getBean(MeterRegistry.class);
            // each side records a call once its outcome is decided, which may be a moment after the caller has it
            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(timerCount(registry, "asyncrpc.client.requests", "greet", "OK", "false")).isEqualTo(5);
                assertThat(timerCount(registry, "asyncrpc.client.requests", "greet", "APPLICATION_ERROR", "false")).isEqualTo(2);
                assertThat(timerCount(registry, "asyncrpc.client.requests", "greet", "OK", "true")).isEqualTo(3);
                assertThat(timerCount(registry, "asyncrpc.client.requests", "hold", "OK", "true")).isEqualTo(1);
                assertThat(timerCount(registry, "asyncrpc.client.requests", "hold", "CANCELLED", "true")).isEqualTo(2);
                assertThat(registry.find("asyncrpc.client.requests").timers()).hasSize(5);

                assertThat(timerCount(registry, "asyncrpc.server.requests", "greet", "OK", "false")).isEqualTo(8);
                assertThat(timerCount(registry, "asyncrpc.server.requests", "greet", "APPLICATION_ERROR", "false")).isEqualTo(2);
                assertThat(timerCount(registry, "asyncrpc.server.requests", "hold", "OK", "true")).isEqualTo(1);
                assertThat(timerCount(registry, "asyncrpc.server.requests", "hold", "CANCELLED", "true")).isEqualTo(2);
                assertThat(registry.find("asyncrpc.server.requests").timers()).hasSize(4);

                assertThat(registry.get("asyncrpc.client.cancels").tags("service", "metered", "method", "hold", "mode", "ABORTIVE").counter().count()).isEqualTo(1);
                assertThat(registry.get("asyncrpc.client.cancels").tags("service", "metered", "method", "hold", "mode", "GRACEFUL").counter().count()).isEqualTo(1);
                assertThat(registry.find("asyncrpc.client.cancels").counters()).hasSize(2);
            });
            assertThat(registry.get("asyncrpc.client.requests").tags("status", "APPLICATION_ERROR").timer().getId().getTag("error"))
                .isEqualTo("RemoteCallException");
            assertThat(registry.get("asyncrpc.client.requests").tags("status", "OK").timers())
                .allSatisfy((timer) -> assertThat(timer.getId().getTag("error")).isEqualTo("none"));
        });
    }

    @Test
    void gaugesShowPendingAndActiveCallsConnectionsAndDirectMemory() {
        this.runner.run((context) -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            Metered.Async async = context.getBean(Metered.Async.class);
            MeteredEndpoint endpoint = context.getBean(MeteredEndpoint.class);
            assertThat(gauge(registry, "asyncrpc.client.calls.pending", "service", "metered")).isZero();
            assertThat(gauge(registry, "asyncrpc.server.calls.active")).isZero();

            AsyncCall<String> first = async.hold("first");
            AsyncCall<String> second = async.hold("second");
            endpoint.awaitHeld(WAIT);
            endpoint.awaitHeld(WAIT);
            assertThat(gauge(registry, "asyncrpc.client.calls.pending", "service", "metered")).isEqualTo(2);
            assertThat(gauge(registry, "asyncrpc.server.calls.active")).isEqualTo(2);
            assertThat(gauge(registry, "asyncrpc.client.connections", "service", "metered")).isEqualTo(1);
            assertThat(gauge(registry, "asyncrpc.server.connections")).isEqualTo(1);
            assertThat(registry.get("asyncrpc.client.requests.active").tags("method", "hold", "status", "UNKNOWN").longTaskTimer().activeTasks())
                .isEqualTo(2);
            assertThat(registry.get("asyncrpc.server.requests.active").tags("method", "hold", "status", "UNKNOWN").longTaskTimer().activeTasks())
                .isEqualTo(2);
            assertThat(gauge(registry, "asyncrpc.netty.direct.memory.used")).isPositive();
            assertThat(registry.get("asyncrpc.client.retries").tag("service", "metered").functionCounter().count()).isZero();
            assertThat(registry.get("asyncrpc.netty.direct.memory.used").gauge().getId().getBaseUnit()).isEqualTo("bytes");

            endpoint.release("first");
            endpoint.release("second");
            first.join(WAIT);
            second.join(WAIT);
            // a caller may see its outcome a moment before the call stops counting as pending
            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(gauge(registry, "asyncrpc.client.calls.pending", "service", "metered")).isZero();
                assertThat(gauge(registry, "asyncrpc.server.calls.active")).isZero();
            });
        });
    }

    @Test
    void saturationIsVisibleInGaugesAndRefusalsAreCounted() {
        this.runner.withPropertyValues("asyncrpc.server.max-calls-in-progress=2", "asyncrpc.server.max-concurrent-calls=10").run((context) -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            Metered.Async async = context.getBean(Metered.Async.class);
            MeteredEndpoint endpoint = context.getBean(MeteredEndpoint.class);
            assertThat(context.getBean(Metered.Plain.class).greet("a")).isEqualTo("Hello, a");
            assertThat(gauge(registry, "asyncrpc.server.calls.limit")).isEqualTo(2);
            assertThat(gauge(registry, "asyncrpc.server.workers.max")).isEqualTo(64);
            assertThat(gauge(registry, "asyncrpc.server.workers.threads")).isBetween(1.0, 64.0);
            assertThat(gauge(registry, "asyncrpc.server.workers.busy")).isZero();
            assertThat(gauge(registry, "asyncrpc.server.work.queued")).isZero();
            assertThat(gauge(registry, "asyncrpc.server.workers.parked")).isZero();
            assertThat(registry.get("asyncrpc.server.workers.park.refused").functionCounter().count()).isZero();
            AsyncCall<String> first = async.hold("first");
            AsyncCall<String> second = async.hold("second");
            endpoint.awaitHeld(WAIT);
            endpoint.awaitHeld(WAIT);
            assertThatExceptionOfType(RemoteCallException.class).isThrownBy(() -> async.greet("third").join(WAIT))
                .satisfies((ex) -> assertThat(ex.status()).isEqualTo(Status.RESOURCE_EXHAUSTED));
            assertThat(registry.get("asyncrpc.server.calls.refused").functionCounter().count()).isEqualTo(1);
            assertThat(registry.get("asyncrpc.server.work.rejected").functionCounter().count()).isZero();
            endpoint.release("first");
            endpoint.release("second");
            first.join(WAIT);
            second.join(WAIT);
        });
    }

    @Test
    void countsGoAwaysSentAndReceived() {
        this.runner.run((context) -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(context.getBean(Metered.Plain.class).greet("before")).isEqualTo("Hello, before");
            assertThat(registry.get("asyncrpc.goaways").tag("side", "server").counter().count()).isZero();
            AsyncRpcServer server = context.getBean(AsyncRpcServerLifecycle.class).getServer();
            assertThat(CompletableFuture.supplyAsync(() -> server.shutdown(WAIT)).get(20, TimeUnit.SECONDS)).isZero();
            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(registry.get("asyncrpc.goaways").tag("side", "server").counter().count()).isEqualTo(1);
                assertThat(registry.get("asyncrpc.goaways").tag("side", "client").counter().count()).isEqualTo(1);
            });
        });
    }

    @Test
    void turnedOffByProperty() {
        this.runner.withPropertyValues("asyncrpc.metrics.enabled=false").run((context) -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(AsyncRpcMetrics.class);
            assertThat(context.getBean(MeterRegistry.class).find("asyncrpc.netty.direct.memory.used").gauge()).isNull();
        });
    }

    @Test
    void turnedOffWithoutAMeterRegistry() {
        new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AsyncRpcServerAutoConfiguration.class, AsyncRpcClientAutoConfiguration.class,
                    AsyncRpcMetricsAutoConfiguration.class))
            .run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(AsyncRpcMetrics.class));
    }

    @Test
    void turnedOffWhenMicrometerIsMissing() {
        new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AsyncRpcServerAutoConfiguration.class, AsyncRpcClientAutoConfiguration.class,
                    AsyncRpcMetricsAutoConfiguration.class))
            .withBean(SimpleMeterRegistry.class)
            .withClassLoader(new FilteredClassLoader(MeterBinder.class))
            .run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(AsyncRpcMetrics.class));
    }

    private static long timerCount(MeterRegistry registry, String name, String method, String status, String async) {
        RequiredSearch search = registry.get(name).tags("service", "metered", "method", method, "status", status, "async", async);
        return search.timer().count();
    }

    private static double gauge(MeterRegistry registry, String name, String... tags) {
        return registry.get(name).tags(tags).gauge().value();
    }

    @Configuration(proxyBeanMethods = false)
    @ImportRemoteServices({ Metered.Plain.class, Metered.Async.class })
    static class ImportMetered {

    }
}
