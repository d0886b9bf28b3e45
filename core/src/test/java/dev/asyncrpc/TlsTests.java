package dev.asyncrpc;

import java.time.Duration;

import dev.asyncrpc.test.Calc;
import dev.asyncrpc.test.CalcAsync;
import dev.asyncrpc.test.PlainCalc;
import dev.asyncrpc.test.TestCertificates;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** TLS and mutual TLS, with certificates the test makes. */
class TlsTests {

    static TestCertificates certs;

    @BeforeAll
    static void certificates() throws Exception {
        certs = TestCertificates.create();
    }

    private static AsyncRpcServer server(AsyncRpcServer.ClientAuth auth) throws Exception {
        return AsyncRpcServer.builder().host("127.0.0.1").port(0).service(new PlainCalc())
                .tls(certs.context("server"), auth).build().start();
    }

    @Test
    void callOverTlsWorks() throws Exception {
        try (AsyncRpcServer server = server(AsyncRpcServer.ClientAuth.NONE);
                AsyncRpcClient client = AsyncRpcClient.builder().address(server.address()).tls(certs.context(null)).build()) {
            assertThat(client.proxy(Calc.class).add(20, 22)).isEqualTo(42);
        }
    }

    @Test
    void mutualTlsAcceptsATrustedClientCertificate() throws Exception {
        try (AsyncRpcServer server = server(AsyncRpcServer.ClientAuth.NEED);
                AsyncRpcClient client = AsyncRpcClient.builder().address(server.address()).tls(certs.context("client")).build()) {
            assertThat(client.proxy(Calc.class).echo("mtls")).isEqualTo("mtls");
        }
    }

    @Test
    void mutualTlsRefusesAClientWithoutATrustedCertificate() throws Exception {
        try (AsyncRpcServer server = server(AsyncRpcServer.ClientAuth.NEED);
                AsyncRpcClient noCert = AsyncRpcClient.builder().address(server.address()).tls(certs.context(null)).build();
                AsyncRpcClient rogue = AsyncRpcClient.builder().address(server.address()).tls(certs.context("rogue")).build()) {
            for (AsyncRpcClient client : new AsyncRpcClient[] { noCert, rogue }) {
                AsyncCall<Integer> call = client.proxy(CalcAsync.class).add(1, 2);
                assertThatThrownBy(() -> call.join(Duration.ofSeconds(15)))
                        .isInstanceOfSatisfying(RemoteCallException.class, ex -> {
                            assertThat(ex.status()).isEqualTo(Status.UNAVAILABLE);
                            assertThat(ex.description()).containsAnyOf("TLS", "handshake");
                        });
            }
        }
    }

    @Test
    void plaintextClientToTlsServerFailsClearlyAndPromptly() throws Exception {
        try (AsyncRpcServer server = server(AsyncRpcServer.ClientAuth.NONE);
                AsyncRpcClient client = AsyncRpcClient.builder().address(server.address()).handshakeTimeout(Duration.ofSeconds(3)).build()) {
            long start = System.nanoTime();
            AsyncCall<Integer> call = client.proxy(CalcAsync.class).add(1, 2);
            assertThatThrownBy(() -> call.join(Duration.ofSeconds(15)))
                    .isInstanceOfSatisfying(RemoteCallException.class, ex -> {
                        assertThat(ex.status()).isEqualTo(Status.UNAVAILABLE);
                        assertThat(ex.description()).contains("do both sides agree on TLS?");
                    });
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void tlsClientToPlaintextServerFailsClearly() throws Exception {
        try (AsyncRpcServer server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(new PlainCalc()).build().start();
                AsyncRpcClient client = AsyncRpcClient.builder().address(server.address()).tls(certs.context(null)).build()) {
            AsyncCall<Integer> call = client.proxy(CalcAsync.class).add(1, 2);
            assertThatThrownBy(() -> call.join(Duration.ofSeconds(15)))
                    .isInstanceOfSatisfying(RemoteCallException.class, ex -> {
                        assertThat(ex.status()).isEqualTo(Status.UNAVAILABLE);
                        assertThat(ex.description()).containsAnyOf("TLS", "handshake");
                    });
        }
    }
}
