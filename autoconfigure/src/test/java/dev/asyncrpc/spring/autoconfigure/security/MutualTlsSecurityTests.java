package dev.asyncrpc.spring.autoconfigure.security;

import java.time.Duration;

import dev.asyncrpc.AsyncRpcClient;
import dev.asyncrpc.RemoteCallException;
import dev.asyncrpc.Status;
import dev.asyncrpc.spring.autoconfigure.AsyncRpcServerLifecycle;
import dev.asyncrpc.test.TestCertificates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Issue 13, acceptance 3: mutual TLS with certificates made in the test. The caller is the client
 * certificate's subject, in {@code ServerCall.principal()} and in the security context; a rule that
 * admits one subject refuses another certificate the server trusts with {@code PERMISSION_DENIED}.
 */
class MutualTlsSecurityTests {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static TestCertificates certificates;

    private static ConfigurableApplicationContext context;

    private static String address;

    @BeforeAll
    static void startServer() throws Exception {
        certificates = TestCertificates.create();
        String bundle = "spring.ssl.bundle.jks.server.";
        String password = new String(TestCertificates.PASSWORD);
        context = new SpringApplicationBuilder(MtlsApplication.class).web(WebApplicationType.NONE)
            .properties("spring.main.banner-mode=off", "asyncrpc.server.port=0", "asyncrpc.server.address=127.0.0.1",
                    bundle + "keystore.location=file:" + certificates.keyStore("server"), bundle + "keystore.password=" + password,
                    bundle + "keystore.type=PKCS12", bundle + "truststore.location=file:" + certificates.trustStore(),
                    bundle + "truststore.password=" + password, bundle + "truststore.type=PKCS12",
                    "asyncrpc.server.ssl.bundle=server", "asyncrpc.server.ssl.client-auth=need",
                    "asyncrpc.server.security.rules[0].operations=vault/*",
                    "asyncrpc.server.security.rules[0].subjects=CN=trusted client")
            .run();
        address = context.getBean(AsyncRpcServerLifecycle.class).getServer().address();
    }

    @AfterAll
    static void stopServer() {
        if (context != null) {
            context.close();
        }
    }

    private static AsyncRpcClient client(String key) throws Exception {
        return AsyncRpcClient.builder().address(address).tls(certificates.context(key)).timeout(WAIT).build();
    }

    @Test
    void theCallerIsTheCertificatesSubject() throws Exception {
        try (AsyncRpcClient client = client("client")) {
            assertThat(client.proxy(Vault.class).whoami()).isEqualTo("principal=CN=trusted client context=CN=trusted client");
        }
    }

    @Test
    void aRuleThatAdmitsOneSubjectRefusesAnotherTrustedCertificate() throws Exception {
        int before = context.getBean(VaultEndpoint.class).invocations();
        // the server's certificate is signed by the same CA, so trusted, with another subject
        try (AsyncRpcClient client = client("server")) {
            assertThatExceptionOfType(RemoteCallException.class).isThrownBy(() -> client.proxy(Vault.class).whoami()).satisfies((ex) -> {
                System.out.println("refused: " + ex.status() + " " + ex.description());
                assertThat(ex.status()).isEqualTo(Status.PERMISSION_DENIED);
                assertThat(ex.description()).isEqualTo("caller 'CN=localhost' may not call vault/whoami: "
                        + "asyncrpc.server.security.rules[0] needs a client certificate with one of the subjects [CN=trusted client]");
            });
        }
        assertThat(context.getBean(VaultEndpoint.class).invocations()).isEqualTo(before);
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @Import(VaultEndpoint.class)
    static class MtlsApplication {

    }

}
