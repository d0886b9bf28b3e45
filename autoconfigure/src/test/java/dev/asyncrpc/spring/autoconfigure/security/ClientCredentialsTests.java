package dev.asyncrpc.spring.autoconfigure.security;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import javax.net.ssl.SSLContext;

import dev.asyncrpc.AsyncRpcClient;
import dev.asyncrpc.RemoteCallException;
import dev.asyncrpc.Status;
import dev.asyncrpc.spring.AsyncRpcClientCustomizer;
import dev.asyncrpc.spring.ImportRemoteServices;
import dev.asyncrpc.spring.autoconfigure.AsyncRpcClientAutoConfiguration;
import dev.asyncrpc.spring.autoconfigure.AsyncRpcClients;
import dev.asyncrpc.spring.autoconfigure.AsyncRpcServerAutoConfiguration;
import dev.asyncrpc.spring.security.AsyncRpcCredentials;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The client side: static tokens from properties, credential beans for one service or for all, their
 * precedence, and the refusal to send a token in plaintext to an address that leaves the machine. The
 * server in the same context validates JWTs with a public key file.
 */
@ExtendWith(OutputCaptureExtension.class)
class ClientCredentialsTests {

    private static TestTokens tokens;

    private static String alice;

    private static String root;

    private static Path publicKey;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(OAuth2ResourceServerAutoConfiguration.class, AsyncRpcServerAutoConfiguration.class,
                AsyncRpcClientAutoConfiguration.class, AsyncRpcServerSecurityAutoConfiguration.class,
                AsyncRpcClientSecurityAutoConfiguration.class))
        .withBean(VaultEndpoint.class)
        .withUserConfiguration(ImportVault.class)
        .withPropertyValues("asyncrpc.server.port=0", "asyncrpc.server.address=127.0.0.1",
                "spring.security.oauth2.resourceserver.jwt.public-key-location=file:" + publicKey,
                "asyncrpc.client.services.vault.address=${local.asyncrpc.server.address}");

    @BeforeAll
    static void makeTokens() throws Exception {
        tokens = TestTokens.create();
        publicKey = tokens.writePublicKey(Files.createTempDirectory("asyncrpc-client-auth"));
        alice = tokens.token("alice", Duration.ofMinutes(10), "read");
        root = tokens.token("root", Duration.ofMinutes(10), "admin");
    }

    @Test
    void aStaticTokenOfTheServiceIsSent(CapturedOutput output) {
        this.runner.withPropertyValues("asyncrpc.client.services.vault.auth.bearer-token=" + alice).run((context) -> {
            assertThat(context.getBean(Vault.class).whoami()).isEqualTo("principal=alice context=alice");
            assertThat(output.getAll()).doesNotContain(alice);
        });
    }

    @Test
    void withoutCredentialsTheCallIsUnauthenticated() {
        this.runner.run((context) -> assertThatExceptionOfType(RemoteCallException.class)
            .isThrownBy(() -> context.getBean(Vault.class).whoami())
            .satisfies((ex) -> assertThat(ex.status()).isEqualTo(Status.UNAUTHENTICATED)));
    }

    @Test
    void aCredentialsBeanForTheServiceWinsOverTheDefaultsAndServicePropertiesWinOverBeans() {
        this.runner.withPropertyValues("asyncrpc.client.defaults.auth.bearer-token=" + alice)
            .withBean(AsyncRpcCredentials.class, () -> AsyncRpcCredentials.forService("vault", () -> root))
            .run((context) -> assertThat(context.getBean(Vault.class).whoami()).isEqualTo("principal=root context=root"));
        this.runner.withPropertyValues("asyncrpc.client.defaults.auth.bearer-token=" + alice)
            .withBean(AsyncRpcCredentials.class, () -> AsyncRpcCredentials.forService("other", () -> root))
            .run((context) -> assertThat(context.getBean(Vault.class).whoami()).isEqualTo("principal=alice context=alice"));
        this.runner.withPropertyValues("asyncrpc.client.services.vault.auth.bearer-token=" + alice)
            .withBean(AsyncRpcCredentials.class, () -> (service) -> root)
            .run((context) -> assertThat(context.getBean(Vault.class).whoami()).isEqualTo("principal=alice context=alice"));
    }

    @Test
    void aTokenIsNotSentInPlaintextToAnAddressThatLeavesTheMachine(CapturedOutput output) {
        // 192.0.2.1 is TEST-NET-1: nothing is ever sent there, the call fails before it connects
        this.runner.withPropertyValues("asyncrpc.client.services.vault.address=192.0.2.1:7443",
                "asyncrpc.client.services.vault.auth.bearer-token=" + alice).run((context) -> {
                    assertThatExceptionOfType(RemoteCallException.class).isThrownBy(() -> context.getBean(Vault.class).whoami())
                        .satisfies((ex) -> {
                            assertThat(ex.status()).isEqualTo(Status.UNAUTHENTICATED);
                            assertThat(ex.description()).isEqualTo("refusing to send the bearer token of service 'vault' in plaintext to "
                                    + "192.0.2.1:7443: call it over TLS (asyncrpc.client.services.vault.ssl.bundle) or set "
                                    + "asyncrpc.client.defaults.auth.allow-plaintext=true");
                        });
                    AsyncRpcClient client = context.getBean(AsyncRpcClients.class).client("vault");
                    assertThat(client.connections()).as("nothing was dialled").isZero();
                    assertThat(output.getAll()).doesNotContain(alice);
                });
    }

    @Test
    void tlsGivenByACustomizerCountsForThePlaintextGuard(CapturedOutput output) throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        // an IPv4-mapped loopback address: dialled, it stays on this machine (nothing listens there),
        // but the guard does not take it for local, so it stands for an address that leaves the machine
        String address = "[::ffff:127.0.0.1]:" + closedPort;
        ApplicationContextRunner remote = this.runner.withPropertyValues("asyncrpc.client.services.vault.address=" + address,
                "asyncrpc.client.services.vault.auth.bearer-token=" + alice);
        remote.run((context) -> assertThatExceptionOfType(RemoteCallException.class).isThrownBy(() -> context.getBean(Vault.class).whoami())
            .satisfies((ex) -> {
                assertThat(ex.status()).isEqualTo(Status.UNAUTHENTICATED);
                assertThat(ex.description()).startsWith("refusing to send the bearer token of service 'vault' in plaintext");
            }));
        SSLContext tls = SSLContext.getDefault();
        remote.withBean(AsyncRpcClientCustomizer.class, () -> (service, builder) -> builder.tls(tls)).run((context) -> {
            // not refused by the guard: the call goes out and finds nothing listening
            assertThatExceptionOfType(RemoteCallException.class).isThrownBy(() -> context.getBean(Vault.class).whoami())
                .satisfies((ex) -> assertThat(ex.status()).isEqualTo(Status.UNAVAILABLE));
            assertThat(output.getAll()).doesNotContain(alice);
        });
    }

    @Test
    void anUnknownOAuth2RegistrationFailsStartUpNamingTheProperty() {
        this.runner.withPropertyValues("asyncrpc.client.services.vault.auth.oauth2-registration-id=nope").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("asyncrpc.client.services.vault.auth.oauth2-registration-id");
        });
    }

    @Configuration(proxyBeanMethods = false)
    @ImportRemoteServices(Vault.class)
    static class ImportVault {

    }
}
