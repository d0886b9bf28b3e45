package dev.asyncrpc.spring.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.asyncrpc.AsyncCall;
import dev.asyncrpc.AsyncRpcClient;
import dev.asyncrpc.AsyncRpcServer;
import dev.asyncrpc.RemoteCallException;
import dev.asyncrpc.Status;
import dev.asyncrpc.spring.ImportRemoteServices;
import dev.asyncrpc.spring.autoconfigure.scan.EchoAsync;
import dev.asyncrpc.test.TestCertificates;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * TLS and mutual TLS configured with Spring Boot SSL bundles, server and client in one context,
 * with certificates the test makes ({@link TestCertificates}: a CA, a server certificate for
 * 127.0.0.1, a client certificate the CA signed and a self-signed "rogue" one).
 */
class TlsTests {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private static TestCertificates certificates;

    private static String[] bundles;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, AsyncRpcServerAutoConfiguration.class,
                AsyncRpcClientAutoConfiguration.class))
        .withBean(EchoEndpoint.class)
        .withUserConfiguration(ImportEchoAsync.class)
        .withPropertyValues("asyncrpc.server.port=0", "asyncrpc.server.address=127.0.0.1",
                "asyncrpc.client.services.echo.address=${local.asyncrpc.server.address}")
        .withPropertyValues(bundles);

    @BeforeAll
    static void makeCertificates() throws Exception {
        certificates = TestCertificates.create();
        List<String> properties = new ArrayList<>();
        bundle(properties, "server", certificates.keyStore("server"));
        bundle(properties, "client", certificates.keyStore("client"));
        bundle(properties, "rogue", certificates.keyStore("rogue"));
        bundle(properties, "trust-only", null);
        bundles = properties.toArray(String[]::new);
    }

    /** An SSL bundle that trusts the test CA and, unless {@code keyStore} is null, holds a key. */
    private static void bundle(List<String> properties, String name, Path keyStore) {
        String prefix = "spring.ssl.bundle.jks." + name + ".";
        String password = new String(TestCertificates.PASSWORD);
        if (keyStore != null) {
            properties.add(prefix + "keystore.location=file:" + keyStore);
            properties.add(prefix + "keystore.password=" + password);
            properties.add(prefix + "keystore.type=PKCS12");
        }
        properties.add(prefix + "truststore.location=file:" + certificates.trustStore());
        properties.add(prefix + "truststore.password=" + password);
        properties.add(prefix + "truststore.type=PKCS12");
    }

    @Test
    void callOverTlsWorks() {
        this.runner.withPropertyValues("asyncrpc.server.ssl.bundle=server", "asyncrpc.client.defaults.ssl.bundle=trust-only")
            .run((context) -> assertThat(echo(context, "over TLS")).isEqualTo("echo: over TLS"));
    }

    @Test
    void mutualTlsAcceptsAClientWithATrustedCertificate() {
        this.runner.withPropertyValues("asyncrpc.server.ssl.bundle=server", "asyncrpc.server.ssl.client-auth=need",
                "asyncrpc.client.services.echo.ssl.bundle=client")
            .run((context) -> assertThat(echo(context, "mutual")).isEqualTo("echo: mutual"));
    }

    @ParameterizedTest(name = "client bundle {0}")
    @ValueSource(strings = { "trust-only", "rogue" })
    void mutualTlsRefusesAClientWithoutATrustedCertificate(String clientBundle) {
        this.runner.withPropertyValues("asyncrpc.server.ssl.bundle=server", "asyncrpc.server.ssl.client-auth=need",
                "asyncrpc.client.services.echo.ssl.bundle=" + clientBundle)
            .run((context) -> {
                AsyncCall<String> call = context.getBean(EchoAsync.class).echo("refused");
                assertThatExceptionOfType(RemoteCallException.class).isThrownBy(() -> call.join(WAIT)).satisfies((ex) -> {
                    System.out.println("client bundle " + clientBundle + " refused: " + ex.status() + " " + ex.description());
                    assertThat(ex.status()).isEqualTo(Status.UNAVAILABLE);
                    assertThat(ex.description()).containsAnyOf("TLS", "handshake");
                });
            });
    }

    @Test
    void clientAuthWantAcceptsAClientWithoutACertificate() {
        this.runner.withPropertyValues("asyncrpc.server.ssl.bundle=server", "asyncrpc.server.ssl.client-auth=want",
                "asyncrpc.client.defaults.ssl.bundle=trust-only")
            .run((context) -> assertThat(echo(context, "wanted")).isEqualTo("echo: wanted"));
    }

    @Test
    void plaintextClientToTlsServerFailsClearlyAndPromptly() {
        this.runner.withPropertyValues("asyncrpc.server.ssl.bundle=server", "asyncrpc.client.services.echo.handshake-timeout=2s")
            .run((context) -> {
                long start = System.nanoTime();
                AsyncCall<String> call = context.getBean(EchoAsync.class).echo("plaintext");
                assertThatExceptionOfType(RemoteCallException.class).isThrownBy(() -> call.join(WAIT)).satisfies((ex) -> {
                    System.out.println("plaintext client to TLS server: " + ex.status() + " " + ex.description());
                    assertThat(ex.status()).isEqualTo(Status.UNAVAILABLE);
                    assertThat(ex.description()).contains("do both sides agree on TLS?");
                });
                assertThat(Duration.ofNanos(System.nanoTime() - start)).as("fails after the handshake timeout, no hang")
                    .isLessThan(Duration.ofSeconds(10));
            });
    }

    @Test
    void tlsServerIsNotReachableInPlaintextByOtherClientsEither() {
        this.runner.withPropertyValues("asyncrpc.server.ssl.bundle=server", "asyncrpc.client.defaults.ssl.bundle=trust-only")
            .run((context) -> {
                AsyncRpcServer server = context.getBean(AsyncRpcServerLifecycle.class).getServer();
                try (AsyncRpcClient plain = AsyncRpcClient.builder().address(server.address()).handshakeTimeout(Duration.ofSeconds(2)).build()) {
                    AsyncCall<String> call = plain.proxy(EchoAsync.class).echo("plain");
                    assertThatExceptionOfType(RemoteCallException.class).isThrownBy(() -> call.join(WAIT))
                        .satisfies((ex) -> assertThat(ex.status()).isEqualTo(Status.UNAVAILABLE));
                }
                assertThat(echo(context, "still fine")).isEqualTo("echo: still fine");
            });
    }

    @Test
    void oneServiceMayTurnTlsOffWhenTheDefaultsNameABundle() {
        this.runner.withPropertyValues("asyncrpc.client.defaults.ssl.bundle=trust-only", "asyncrpc.client.services.echo.ssl.enabled=false")
            .run((context) -> assertThat(echo(context, "plaintext on purpose")).isEqualTo("echo: plaintext on purpose"));
    }

    @Test
    void missingServerBundleFailsStartUpNamingThePropertyAndTheBundle() {
        this.runner.withPropertyValues("asyncrpc.server.ssl.bundle=nope").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasRootCauseInstanceOf(org.springframework.boot.ssl.NoSuchSslBundleException.class);
            InvalidConfigurationPropertyValueException invalid = invalidProperty(context);
            assertThat(invalid.getName()).isEqualTo("asyncrpc.server.ssl.bundle");
            assertThat(invalid.getValue()).isEqualTo("nope");
            assertThat(invalid.getReason()).contains("There is no SSL bundle named 'nope'", "spring.ssl.bundle.jks.nope", "server", "trust-only");
        });
    }

    @Test
    void missingDefaultClientBundleFailsStartUpNamingThePropertyAndTheBundle() {
        this.runner.withPropertyValues("asyncrpc.client.defaults.ssl.bundle=nope").run((context) -> {
            assertThat(context).hasFailed();
            InvalidConfigurationPropertyValueException invalid = invalidProperty(context);
            assertThat(invalid.getName()).isEqualTo("asyncrpc.client.defaults.ssl.bundle");
            assertThat(invalid.getMessage()).contains("asyncrpc.client.defaults.ssl.bundle", "'nope'");
        });
    }

    @Test
    void missingServiceBundleFailsStartUpNamingThePropertyAndTheBundle() {
        this.runner.withPropertyValues("asyncrpc.client.services.echo.ssl.bundle=nope").run((context) -> {
            assertThat(context).hasFailed();
            InvalidConfigurationPropertyValueException invalid = invalidProperty(context);
            assertThat(invalid.getName()).isEqualTo("asyncrpc.client.services.echo.ssl.bundle");
            assertThat(invalid.getValue()).isEqualTo("nope");
        });
    }

    @Test
    void tlsOnWithoutABundleFailsStartUp() {
        this.runner.withPropertyValues("asyncrpc.client.services.echo.ssl.enabled=true").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(invalidProperty(context).getReason()).contains("asyncrpc.client.services.echo.ssl.bundle",
                    "asyncrpc.client.defaults.ssl.bundle");
        });
    }

    @Test
    void clientAuthWithoutABundleFailsStartUp() {
        this.runner.withPropertyValues("asyncrpc.server.ssl.client-auth=need").run((context) -> {
            assertThat(context).hasFailed();
            InvalidConfigurationPropertyValueException invalid = invalidProperty(context);
            assertThat(invalid.getName()).isEqualTo("asyncrpc.server.ssl.client-auth");
            assertThat(invalid.getReason()).contains("asyncrpc.server.ssl.bundle");
        });
    }

    @Test
    void bundleOptionsThatCannotBeAppliedAreRefusedRatherThanIgnored() {
        this.runner.withPropertyValues("asyncrpc.server.ssl.bundle=server", "spring.ssl.bundle.jks.server.options.enabled-protocols=TLSv1.3")
            .run((context) -> {
                assertThat(context).hasFailed();
                assertThat(invalidProperty(context).getReason()).contains("options", "cannot apply");
            });
    }

    @Test
    void noSslBundlesAtAllFailsStartUpWhenABundleIsNamed() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(AsyncRpcServerAutoConfiguration.class))
            .withBean(EchoEndpoint.class)
            .withPropertyValues("asyncrpc.server.port=0", "asyncrpc.server.ssl.bundle=server")
            .run((context) -> {
                assertThat(context).hasFailed();
                assertThat(invalidProperty(context).getReason()).contains("no SSL bundles");
            });
    }

    private static String echo(AssertableApplicationContext context, String text) {
        return context.getBean(EchoAsync.class).echo(text).join(WAIT);
    }

    private static InvalidConfigurationPropertyValueException invalidProperty(AssertableApplicationContext context) {
        for (Throwable t = context.getStartupFailure(); t != null; t = t.getCause()) {
            if (t instanceof InvalidConfigurationPropertyValueException invalid) {
                return invalid;
            }
        }
        throw new AssertionError("no InvalidConfigurationPropertyValueException in " + Failures.messages(context.getStartupFailure()));
    }

    @Configuration(proxyBeanMethods = false)
    @ImportRemoteServices(EchoAsync.class)
    static class ImportEchoAsync {

    }
}
