package dev.asyncrpc.spring.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.asyncrpc.AsyncCall;
import dev.asyncrpc.AsyncRpcClient;
import dev.asyncrpc.AsyncRpcServer;
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

    private AsyncRpcClients userClients() {
        AsyncRpcClientProperties properties = new AsyncRpcClientProperties();
        AsyncRpcClientProperties.Service echo = new AsyncRpcClientProperties.Service();
        echo.setAddress(this.address);
        properties.getServices().put("echo", echo);
        return new AsyncRpcClients(properties, List.of(), List.of(), new StandardEnvironment());
    }
}
