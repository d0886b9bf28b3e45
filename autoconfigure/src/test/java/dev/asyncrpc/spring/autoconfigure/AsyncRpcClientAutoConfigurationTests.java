package dev.asyncrpc.spring.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.asyncrpc.AsyncCall;
import dev.asyncrpc.AsyncRpcClient;
import dev.asyncrpc.AsyncRpcServer;
import dev.asyncrpc.CallState;
import dev.asyncrpc.Ordering;
import dev.asyncrpc.RemoteCallException;
import dev.asyncrpc.Status;
import dev.asyncrpc.spring.AsyncRpcClientCustomizer;
import dev.asyncrpc.spring.AsyncRpcConnectionDetails;
import dev.asyncrpc.spring.ImportRemoteServices;
import dev.asyncrpc.spring.autoconfigure.scan.Echo;
import dev.asyncrpc.spring.autoconfigure.scan.EchoAsync;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class AsyncRpcClientAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AsyncRpcClientAutoConfiguration.class));

    private AsyncRpcServer server;

    private String address;

    @BeforeEach
    void startServer() {
        this.server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(new EchoEndpoint()).build().start();
        this.address = "127.0.0.1:" + this.server.port();
    }

    @AfterEach
    void stopServer() {
        this.server.close();
    }

    @Test
    void defaultSettings() {
        this.runner.run((context) -> {
            assertThat(context).hasSingleBean(AsyncRpcClients.class);
            AsyncRpcClientProperties.Defaults defaults = context.getBean(AsyncRpcClientProperties.class).getDefaults();
            assertThat(defaults.getConnectTimeout()).isEqualTo(Duration.ofSeconds(10));
            assertThat(defaults.getHandshakeTimeout()).isEqualTo(Duration.ofSeconds(10));
            assertThat(defaults.getMaxFrameSize()).isEqualTo(DataSize.ofMegabytes(16));
            assertThat(defaults.getIoThreads()).isEqualTo(1);
            assertThat(defaults.getTimeout()).isNull();
            assertThat(defaults.getOrdering()).isEqualTo(Ordering.CAUSAL);
            assertThat(defaults.getSsl().getBundle()).isNull();
        });
    }

    @Test
    void timeoutOfOneServiceOverridesTheDefaultAndReachesTheClient() throws Exception {
        ManualExecutor neverRuns = new ManualExecutor();
        try (AsyncRpcServer stuck = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(new EchoEndpoint())
            .executor(neverRuns.executorService()).build().start()) {
            this.runner.withUserConfiguration(ImportEchoBoth.class)
                .withPropertyValues("asyncrpc.client.services.echo.address=" + stuck.address(), "asyncrpc.client.defaults.timeout=1h",
                        "asyncrpc.client.services.echo.timeout=200ms")
                .run((context) -> {
                    long start = System.nanoTime();
                    AsyncCall<String> call = context.getBean(EchoAsync.class).echo("never answered");
                    assertThatExceptionOfType(RemoteCallException.class).isThrownBy(() -> call.join(Duration.ofSeconds(20)))
                        .satisfies((ex) -> assertThat(ex.status()).isEqualTo(Status.DEADLINE_EXCEEDED));
                    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
                });
        }
    }

    /**
     * Two calls from one thread, then one from another thread, to a server whose executor runs
     * nothing until the test says so: with causal ordering the server holds the second call back
     * until the first has returned (then usually runs it in the first's task), so the first two
     * tasks it dispatches run the first, perhaps the second, and the third; without, it dispatches
     * them as they come, one task each: the first and the second.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({ "causal, 1 (2 )?3", "noncausal, 1 2" })
    void orderingOfOneServiceReachesTheClient(String ordering, String firstDispatched) throws Exception {
        ManualExecutor executor = new ManualExecutor();
        RecordingEcho endpoint = new RecordingEcho();
        try (AsyncRpcServer server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(endpoint)
            .executor(executor.executorService()).build().start()) {
            this.runner.withUserConfiguration(ImportEchoBoth.class)
                .withPropertyValues("asyncrpc.client.services.echo.address=" + server.address(),
                        "asyncrpc.client.defaults.ordering=" + ("causal".equals(ordering) ? "noncausal" : "causal"),
                        "asyncrpc.client.services.echo.ordering=" + ordering)
                .run((context) -> {
                    EchoAsync echo = context.getBean(EchoAsync.class);
                    List<AsyncCall<String>> calls = new ArrayList<>();
                    calls.add(echo.echo("1"));
                    calls.add(echo.echo("2"));
                    calls.add(CompletableFuture.supplyAsync(() -> echo.echo("3")).get(10, TimeUnit.SECONDS));
                    executor.take(2, Duration.ofSeconds(10)).forEach(Runnable::run);
                    assertThat(String.join(" ", endpoint.received)).matches(firstDispatched);
                    executor.runUntil(() -> calls.stream().allMatch((call) -> call.state() != CallState.PENDING), Duration.ofSeconds(20));
                    for (int i = 0; i < calls.size(); i++) {
                        assertThat(calls.get(i).join(Duration.ofSeconds(10))).isEqualTo("echo: " + (i + 1));
                    }
                });
        }
    }

    @Test
    void orderingDefaultIsNotAValidSetting() {
        this.runner.withPropertyValues("asyncrpc.client.defaults.ordering=default").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(Failures.messages(context.getStartupFailure()))
                .contains("asyncrpc.client.defaults.ordering: DEFAULT (expected: causal or noncausal)");
        });
    }

    @Test
    void negativeTimeoutOfOneServiceFailsNamingTheProperty() {
        this.runner.withPropertyValues("asyncrpc.client.services.echo.timeout=-5s").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(Failures.messages(context.getStartupFailure())).contains("asyncrpc.client.services.echo",
                    "timeout: PT-5S (expected: a positive duration)");
        });
    }

    @Test
    void importedInterfacesCallTheConfiguredAddress() {
        this.runner.withUserConfiguration(ImportEchoBoth.class)
            .withPropertyValues("asyncrpc.client.services.echo.address=" + this.address)
            .run((context) -> {
                assertThat(context.getBean(Echo.class).echo("plain")).isEqualTo("echo: plain");
                AsyncCall<String> call = context.getBean(EchoAsync.class).echo("async");
                assertThat(call.join(Duration.ofSeconds(10))).isEqualTo("echo: async");
            });
    }

    @Test
    void interfacesOfOneServiceShareOneClient() {
        this.runner.withUserConfiguration(ImportEchoBoth.class)
            .withPropertyValues("asyncrpc.client.services.echo.address=" + this.address)
            .run((context) -> {
                AsyncRpcClients clients = context.getBean(AsyncRpcClients.class);
                assertThat(clients.client("echo")).isSameAs(clients.client("echo"));
                assertThat(clients.client("echo").address()).isEqualTo(this.address);
            });
    }

    @Test
    void aCommaSeparatedAddressBalancesOverEveryEndpoint() {
        AsyncRpcServer second = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(new EchoEndpoint()).build().start();
        String list = this.address + ",127.0.0.1:" + second.port();
        try {
            this.runner.withUserConfiguration(ImportEchoBoth.class)
                .withPropertyValues("asyncrpc.client.services.echo.address=" + list)
                .run((context) -> {
                    AsyncRpcClient client = context.getBean(AsyncRpcClients.class).client("echo");
                    assertThat(client.address()).isEqualTo(list);
                    assertThat(client.endpoints()).containsExactly(this.address, "127.0.0.1:" + second.port());
                    Echo echo = context.getBean(Echo.class);
                    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                    while ((this.server.connections() == 0 || second.connections() == 0) && System.nanoTime() < deadline) {
                        assertThat(echo.echo("both")).isEqualTo("echo: both");
                    }
                    assertThat(this.server.connections()).isEqualTo(1);
                    assertThat(second.connections()).isEqualTo(1);
                });
        }
        finally {
            second.close();
        }
    }

    @Test
    void refreshIntervalResolvesTheAddressAgainOnThatInterval() {
        this.runner.withUserConfiguration(ImportEchoBoth.class)
            .withPropertyValues("asyncrpc.client.services.echo.address=localhost:" + this.server.port(),
                    "asyncrpc.client.services.echo.refresh-interval=250ms")
            .run((context) -> {
                assertThat(context.getBean(AsyncRpcClientProperties.class).getServices().get("echo").getRefreshInterval())
                    .isEqualTo(Duration.ofMillis(250));
                AsyncRpcClient client = context.getBean(AsyncRpcClients.class).client("echo");
                // the name was resolved by the client (to loopback addresses), not left to the connection
                assertThat(client.endpoints()).isNotEmpty().allSatisfy((e) -> assertThat(e).doesNotStartWith("localhost"));
                assertThat(context.getBean(Echo.class).echo("resolved")).isEqualTo("echo: resolved");
            });
    }

    @Test
    void aNonPositiveRefreshIntervalFailsNamingTheProperty() {
        this.runner.withUserConfiguration(ImportEchoBoth.class)
            .withPropertyValues("asyncrpc.client.services.echo.address=" + this.address, "asyncrpc.client.services.echo.refresh-interval=0s")
            .run((context) -> assertThat(context).hasFailed()
                .getFailure().rootCause().hasMessageContaining("asyncrpc.client.services.<name>.refresh-interval"));
    }

    @Test
    void basePackagesAreScannedForRemoteServiceInterfaces() {
        this.runner.withUserConfiguration(ScanEcho.class)
            .withPropertyValues("asyncrpc.client.services.echo.address=" + this.address)
            .run((context) -> {
                assertThat(context).hasSingleBean(Echo.class).hasSingleBean(EchoAsync.class);
                assertThat(context.getBean(Echo.class).echo("scanned")).isEqualTo("echo: scanned");
            });
    }

    @Test
    void perServiceSettingsOverrideTheDefaults() {
        this.runner.withUserConfiguration(ImportEchoBoth.class)
            .withPropertyValues("asyncrpc.client.services.echo.address=" + this.address,
                    "asyncrpc.client.defaults.max-frame-size=16MB", "asyncrpc.client.services.echo.max-frame-size=1KB")
            .run((context) -> {
                Echo echo = context.getBean(Echo.class);
                assertThat(echo.echo("small")).isEqualTo("echo: small");
                // the reply is larger than the 1KB this client accepts
                assertThatExceptionOfType(RemoteCallException.class).isThrownBy(() -> echo.echo("x".repeat(4096)));
            });
    }

    @Test
    void anAddressReferringToTheOwnServerIsResolvedWhenTheContextStarts() {
        this.runner.withConfiguration(AutoConfigurations.of(AsyncRpcServerAutoConfiguration.class))
            .withBean(EchoEndpoint.class)
            .withUserConfiguration(ImportEchoAsync.class)
            .withPropertyValues("asyncrpc.server.port=0", "asyncrpc.server.address=127.0.0.1",
                    "asyncrpc.client.services.echo.address=127.0.0.1:${local.asyncrpc.server.port}")
            .run((context) -> {
                int port = context.getBean(AsyncRpcServerLifecycle.class).getServer().port();
                assertThat(context.getBean(AsyncRpcClients.class).client("echo").address()).isEqualTo("127.0.0.1:" + port);
                assertThat(context.getBean(EchoAsync.class).echo("myself").join(Duration.ofSeconds(10))).isEqualTo("echo: myself");
            });
    }

    @Test
    void anAddressThatNeverResolvesFailsTheStart() {
        this.runner.withUserConfiguration(ImportEchoBoth.class)
            .withPropertyValues("asyncrpc.client.services.echo.address=127.0.0.1:${local.asyncrpc.server.port}")
            .run((context) -> {
                assertThat(context).hasFailed();
                assertThat(Failures.messages(context.getStartupFailure()))
                    .contains("The address of remote service 'echo'", "asyncrpc.client.services.echo.address", "local.asyncrpc.server.port");
            });
    }

    @Test
    void connectionDetailsBeansComeBeforeTheProperties() {
        this.runner.withUserConfiguration(ImportEchoBoth.class)
            .withBean(AsyncRpcConnectionDetails.class, () -> (service) -> "echo".equals(service) ? this.address : null)
            .withPropertyValues("asyncrpc.client.services.echo.address=127.0.0.1:1")
            .run((context) -> assertThat(context.getBean(Echo.class).echo("details")).isEqualTo("echo: details"));
    }

    @Test
    void customizersApplyToEachServiceAfterTheProperties() {
        List<String> customized = new CopyOnWriteArrayList<>();
        this.runner.withUserConfiguration(ImportEchoBoth.class)
            .withPropertyValues("asyncrpc.client.services.echo.address=127.0.0.1:1")
            .withBean(AsyncRpcClientCustomizer.class, () -> (service, builder) -> {
                customized.add(service);
                builder.address(this.address);
            })
            .run((context) -> {
                assertThat(context.getBean(Echo.class).echo("customized")).isEqualTo("echo: customized");
                assertThat(customized).containsExactly("echo");
            });
    }

    @Test
    void clientsAreClosedWithTheContext() {
        Echo[] echo = new Echo[1];
        this.runner.withUserConfiguration(ImportEchoBoth.class)
            .withPropertyValues("asyncrpc.client.services.echo.address=" + this.address)
            .run((context) -> {
                echo[0] = context.getBean(Echo.class);
                assertThat(echo[0].echo("open")).isEqualTo("echo: open");
            });
        assertThatExceptionOfType(RemoteCallException.class).isThrownBy(() -> echo[0].echo("closed"))
            .satisfies((ex) -> assertThat(ex.status()).isEqualTo(Status.UNAVAILABLE));
    }

    @Test
    void backsOffForAUserDefinedClients() {
        this.runner.withUserConfiguration(ImportEchoBoth.class).withBean("userClients", AsyncRpcClients.class, this::userClients).run((context) -> {
            assertThat(context).hasSingleBean(AsyncRpcClients.class);
            assertThat(context.getBean(AsyncRpcClients.class)).isSameAs(context.getBean("userClients"));
            assertThat(context.getBean(Echo.class).echo("user")).isEqualTo("echo: user");
        });
    }

    @Test
    void turnedOffByProperty() {
        this.runner.withPropertyValues("asyncrpc.client.enabled=false")
            .run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(AsyncRpcClients.class));
    }

    @Test
    void importingWhileTurnedOffFailsNamingTheProperty() {
        this.runner.withUserConfiguration(ImportEchoBoth.class)
            .withPropertyValues("asyncrpc.client.enabled=false", "asyncrpc.client.services.echo.address=" + this.address)
            .run((context) -> {
                assertThat(context).hasFailed();
                assertThat(Failures.messages(context.getStartupFailure())).contains("asyncrpc.client.enabled=false");
            });
    }

    @Test
    void turnedOffWhenTheRuntimeIsMissing() {
        this.runner.withClassLoader(new FilteredClassLoader(AsyncRpcClient.class))
            .run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(AsyncRpcClients.class));
    }

    @Test
    void missingAddressFailsNamingThePropertyToSet() {
        this.runner.withUserConfiguration(ImportEchoBoth.class).run((context) -> {
            assertThat(context).hasFailed();
            assertThat(Failures.messages(context.getStartupFailure()))
                .contains("Remote service 'echo' (used through " + Echo.class.getName() + ") has no address: set asyncrpc.client.services.echo.address");
        });
    }

    @Test
    void malformedAddressFailsNamingTheProperty() {
        this.runner.withUserConfiguration(ImportEchoBoth.class)
            .withPropertyValues("asyncrpc.client.services.echo.address=nonsense")
            .run((context) -> {
                assertThat(context).hasFailed();
                assertThat(Failures.messages(context.getStartupFailure()))
                    .contains("Invalid address for remote service 'echo' (asyncrpc.client.services.echo.address)", "'nonsense'");
            });
    }

    @Test
    void negativeTimeoutFailsNamingTheProperty() {
        this.runner.withPropertyValues("asyncrpc.client.defaults.connect-timeout=-1s").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(Failures.messages(context.getStartupFailure()))
                .contains("asyncrpc.client.defaults.connect-timeout: PT-1S (expected: a positive duration)");
        });
    }

    @Test
    void negativeFrameSizeOfOneServiceFailsNamingTheProperty() {
        this.runner.withPropertyValues("asyncrpc.client.services.echo.max-frame-size=-1KB").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(Failures.messages(context.getStartupFailure())).contains("asyncrpc.client.services.echo",
                    "max-frame-size: -1024B (expected: between 1KB and 2047MB)");
        });
    }

    @Configuration(proxyBeanMethods = false)
    @ImportRemoteServices({ Echo.class, EchoAsync.class })
    static class ImportEchoBoth {

    }

    @Configuration(proxyBeanMethods = false)
    @ImportRemoteServices(EchoAsync.class)
    static class ImportEchoAsync {

    }

    @Configuration(proxyBeanMethods = false)
    @ImportRemoteServices(basePackages = "dev.asyncrpc.spring.autoconfigure.scan")
    static class ScanEcho {

    }

    /** Records the texts it is called with, in the order of the calls. */
    static class RecordingEcho implements Echo {

        final List<String> received = new CopyOnWriteArrayList<>();

        @Override
        public String echo(String text) {
            this.received.add(text);
            return "echo: " + text;
        }
    }

    private AsyncRpcClients userClients() {
        AsyncRpcClientProperties properties = new AsyncRpcClientProperties();
        AsyncRpcClientProperties.Service echo = new AsyncRpcClientProperties.Service();
        echo.setAddress(this.address);
        properties.getServices().put("echo", echo);
        return new AsyncRpcClients(properties, List.of(), List.of(), new StandardEnvironment());
    }
}
