package dev.asyncrpc.spring.autoconfigure;

import java.time.Duration;

import dev.asyncrpc.AsyncRpcClient;
import dev.asyncrpc.AsyncRpcServer;
import dev.asyncrpc.RemoteCallException;
import dev.asyncrpc.spring.AsyncRpcServerCustomizer;
import dev.asyncrpc.spring.autoconfigure.scan.Echo;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class AsyncRpcServerAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AsyncRpcServerAutoConfiguration.class));

    private final ApplicationContextRunner withEndpoint = this.runner.withBean(EchoEndpoint.class)
        .withPropertyValues("asyncrpc.server.port=0", "asyncrpc.server.address=127.0.0.1");

    @Test
    void noServerWithoutRemoteEndpoints() {
        this.runner.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(AsyncRpcServerLifecycle.class));
    }

    @Test
    void defaultSettings() {
        this.runner.withBean(EchoEndpoint.class).withPropertyValues("asyncrpc.server.enabled=false").run((context) -> {
            AsyncRpcServerProperties defaults = new AsyncRpcServerProperties();
            assertThat(defaults.getPort()).isEqualTo(7443);
            assertThat(defaults.getAddress()).isNull();
            assertThat(defaults.getMaxFrameSize()).isEqualTo(DataSize.ofMegabytes(16));
            assertThat(defaults.getMaxConcurrentCalls()).as("derived from max-calls-in-progress").isNull();
            assertThat(defaults.getMaxCallsInProgress()).as("derived from the heap").isNull();
            assertThat(defaults.getWorkerThreads()).isEqualTo(64);
            assertThat(defaults.getWorkerKeepAlive()).isEqualTo(Duration.ofSeconds(60));
            assertThat(defaults.getMaxWorkersPerConnection()).as("half of worker-threads").isNull();
            assertThat(defaults.getMaxParkedWorkers()).isEqualTo(256);
            assertThat(defaults.getIoThreads()).isZero();
            assertThat(defaults.getExecutor()).isEqualTo(AsyncRpcServerProperties.WorkerExecutor.AUTO);
            assertThat(defaults.getShutdown().getGracePeriod()).isEqualTo(Duration.ofSeconds(30));
            assertThat(defaults.getSsl().getBundle()).isNull();
            assertThat(defaults.getSsl().getClientAuth()).isEqualTo(AsyncRpcServer.ClientAuth.NONE);
        });
    }

    @Test
    void budgetsAndWorkerPoolPropertiesReachTheServer() {
        this.withEndpoint.withPropertyValues("asyncrpc.server.max-calls-in-progress=500", "asyncrpc.server.max-concurrent-calls=50",
                "asyncrpc.server.worker-threads=8", "asyncrpc.server.worker-keep-alive=5s", "asyncrpc.server.max-workers-per-connection=2",
                "asyncrpc.server.max-parked-workers=12", "asyncrpc.server.inline-dispatch-limit=2ms")
            .run((context) -> {
                AsyncRpcServer server = context.getBean(AsyncRpcServerLifecycle.class).getServer();
                assertThat(server.maxCallsInProgress()).isEqualTo(500);
                assertThat(server.maxWorkerThreads()).isEqualTo(8);
                assertThat(server.maxParkedWorkers()).isEqualTo(12);
                assertThat(server.inlineDispatchLimit()).isEqualTo(java.time.Duration.ofMillis(2));
            });
    }

    @Test
    void budgetsDefaultToTheHeap() {
        this.withEndpoint.run((context) -> {
            AsyncRpcServer server = context.getBean(AsyncRpcServerLifecycle.class).getServer();
            assertThat(server.maxCallsInProgress()).isEqualTo(dev.asyncrpc.internal.server.ServerBudgets.maxCallsInProgress());
            assertThat(server.maxWorkerThreads()).isEqualTo(64);
            assertThat(server.maxParkedWorkers()).isEqualTo(256);
            assertThat(server.inlineDispatchLimit()).isEqualTo(java.time.Duration.ofNanos(500_000));
        });
    }

    @Test
    void aBadBudgetFailsNamingTheProperty() {
        this.withEndpoint.withPropertyValues("asyncrpc.server.max-calls-in-progress=0").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(Failures.messages(context.getStartupFailure())).contains("asyncrpc.server.max-calls-in-progress");
        });
    }

    @Test
    void servesRemoteEndpointsOnAFreePortWhenThePortIsZero() {
        this.withEndpoint.run((context) -> {
            AsyncRpcServer server = context.getBean(AsyncRpcServerLifecycle.class).getServer();
            assertThat(server).isNotNull();
            assertThat(server.port()).isPositive();
            assertThat(server.services()).containsExactly("echo");
            try (AsyncRpcClient client = AsyncRpcClient.builder().address("127.0.0.1:" + server.port()).build()) {
                assertThat(client.proxy(Echo.class).echo("hi")).isEqualTo("echo: hi");
            }
        });
    }

    @Test
    void publishesTheBoundPortAndAddress() {
        this.withEndpoint.run((context) -> {
            int port = context.getBean(AsyncRpcServerLifecycle.class).getServer().port();
            assertThat(context.getEnvironment().getProperty("local.asyncrpc.server.port", Integer.class)).isEqualTo(port);
            assertThat(context.getEnvironment().getProperty("local.asyncrpc.server.address")).isEqualTo("127.0.0.1:" + port);
        });
    }

    @Test
    void closesTheServerWithTheContext() {
        int[] port = new int[1];
        this.withEndpoint.run((context) -> port[0] = context.getBean(AsyncRpcServerLifecycle.class).getServer().port());
        try (AsyncRpcClient client = AsyncRpcClient.builder().address("127.0.0.1:" + port[0]).build()) {
            assertThatExceptionOfType(RemoteCallException.class).isThrownBy(() -> client.proxy(Echo.class).echo("hi"));
        }
    }

    @Test
    void keepsTheJvmAliveWhileTheServerRuns() throws InterruptedException {
        Thread[] keepAlive = new Thread[1];
        this.withEndpoint.run((context) -> {
            keepAlive[0] = Thread.getAllStackTraces().keySet().stream()
                .filter((t) -> t.getName().equals(AsyncRpcServerLifecycle.KEEP_ALIVE_THREAD))
                .findFirst().orElse(null);
            assertThat(keepAlive[0]).isNotNull();
            assertThat(keepAlive[0].isDaemon()).isFalse();
        });
        keepAlive[0].join(10_000);
        assertThat(keepAlive[0].isAlive()).as("keep-alive thread ended with the context").isFalse();
    }

    @Test
    void maxFrameSizeReachesTheServer() {
        this.withEndpoint.withPropertyValues("asyncrpc.server.max-frame-size=1KB").run((context) -> {
            int port = context.getBean(AsyncRpcServerLifecycle.class).getServer().port();
            try (AsyncRpcClient client = AsyncRpcClient.builder().address("127.0.0.1:" + port).build()) {
                Echo echo = client.proxy(Echo.class);
                assertThat(echo.echo("small")).isEqualTo("echo: small");
                assertThatExceptionOfType(RemoteCallException.class).isThrownBy(() -> echo.echo("x".repeat(4096)));
            }
        });
    }

    @Test
    void customizersApplyAfterTheProperties() {
        this.withEndpoint.withPropertyValues("asyncrpc.server.port=1")
            .withBean(AsyncRpcServerCustomizer.class, () -> (builder) -> builder.port(0))
            .run((context) -> assertThat(context.getBean(AsyncRpcServerLifecycle.class).getServer().port()).isGreaterThan(1));
    }

    @Test
    void backsOffForAUserDefinedLifecycle() {
        this.withEndpoint.withUserConfiguration(UserLifecycleConfiguration.class).run((context) -> {
            assertThat(context).hasSingleBean(AsyncRpcServerLifecycle.class);
            assertThat(context.getBean(AsyncRpcServerLifecycle.class)).isSameAs(context.getBean("userLifecycle"));
        });
    }

    @Test
    void turnedOffByProperty() {
        this.withEndpoint.withPropertyValues("asyncrpc.server.enabled=false")
            .run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(AsyncRpcServerLifecycle.class));
    }

    @Test
    void turnedOffWhenTheRuntimeIsMissing() {
        this.withEndpoint.withClassLoader(new FilteredClassLoader(AsyncRpcServer.class))
            .run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(AsyncRpcServerLifecycle.class));
    }

    @Test
    void connectionLimitsAndTimeoutsReachTheServer() {
        this.withEndpoint.withPropertyValues("asyncrpc.server.memory-budget=3MB", "asyncrpc.server.keepalive.interval=0s",
                "asyncrpc.server.idle-timeout=0s", "asyncrpc.server.write-buffer.high-water-mark=2MB").run((context) -> {
            assertThat(context).hasNotFailed();
            AsyncRpcServer server = context.getBean(AsyncRpcServerLifecycle.class).getServer();
            assertThat(server.memoryBudget()).isEqualTo(3L * 1024 * 1024);
            assertThat(server.state()).isEqualTo(AsyncRpcServer.State.RUNNING);
        });
    }

    @Test
    void aHighWaterMarkBelowTheLowOneFailsNamingBothProperties() {
        this.withEndpoint.withPropertyValues("asyncrpc.server.write-buffer.high-water-mark=100KB").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(Failures.messages(context.getStartupFailure()))
                .contains("asyncrpc.server.write-buffer.high-water-mark: 102400B (expected: at least asyncrpc.server.write-buffer.low-water-mark (524288B))");
        });
    }

    @Test
    void aZeroKeepaliveTimeoutFailsNamingTheProperty() {
        this.withEndpoint.withPropertyValues("asyncrpc.server.keepalive.timeout=0s").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(Failures.messages(context.getStartupFailure())).contains("asyncrpc.server.keepalive.timeout: PT0S (expected: a positive duration)");
        });
    }

    @Test
    void negativeFrameSizeFailsNamingTheProperty() {
        this.withEndpoint.withPropertyValues("asyncrpc.server.max-frame-size=-1MB").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(Failures.messages(context.getStartupFailure())).contains("asyncrpc.server.max-frame-size")
                .contains("expected: between 1KB and 2047MB");
        });
    }

    @Test
    void gracePeriodIsBound() {
        this.withEndpoint.withPropertyValues("asyncrpc.server.shutdown.grace-period=1500ms", "asyncrpc.server.ssl.client-auth=none")
            .run((context) -> assertThat(context.getBean(AsyncRpcServerProperties.class).getShutdown().getGracePeriod())
                .isEqualTo(Duration.ofMillis(1500)));
    }

    @Test
    void negativeGracePeriodFailsNamingTheProperty() {
        this.withEndpoint.withPropertyValues("asyncrpc.server.shutdown.grace-period=-1s").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(Failures.messages(context.getStartupFailure()))
                .contains("asyncrpc.server.shutdown.grace-period: PT-1S (expected: a duration of 0 or more)");
        });
    }

    @Test
    void portOutOfRangeFailsNamingTheProperty() {
        this.withEndpoint.withPropertyValues("asyncrpc.server.port=70000").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(Failures.messages(context.getStartupFailure())).contains("asyncrpc.server.port")
                .contains("expected: a port between 0 and 65535");
        });
    }

    @Test
    void malformedAddressFailsNamingTheProperty() {
        this.withEndpoint.withPropertyValues("asyncrpc.server.address=unix:").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(Failures.messages(context.getStartupFailure())).contains("Invalid asyncrpc.server.address")
                .contains("unix:/path/to/socket");
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class UserLifecycleConfiguration {

        @Bean
        AsyncRpcServerLifecycle userLifecycle(AsyncRpcServerProperties properties) {
            return new AsyncRpcServerLifecycle(properties, () -> java.util.List.of(new EchoEndpoint()), java.util.List.of(), null);
        }
    }
}
