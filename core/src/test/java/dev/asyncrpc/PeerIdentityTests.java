package dev.asyncrpc;

import java.security.Principal;

import javax.security.auth.x500.X500Principal;

import dev.asyncrpc.test.TestCertificates;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who calls, as the core sees it: {@link ServerCall#peerCertificates()} and the principal from the
 * TLS client certificate (mutual TLS), which an interceptor's principal replaces.
 */
class PeerIdentityTests {

    @RemoteService("who")
    public interface Who {

        String who();
    }

    static final class WhoImpl implements Who {

        @Override
        public String who() {
            ServerCall call = ServerCall.current();
            String principal = call.principal().map((p) -> p.getClass().getSimpleName() + ":" + p.getName()).orElse("none");
            String chain = call.peerCertificates().isEmpty() ? "no certificate"
                    : call.peerCertificates().get(0).getSubjectX500Principal().getName();
            return principal + " / " + chain;
        }
    }

    static TestCertificates certs;

    @BeforeAll
    static void certificates() throws Exception {
        certs = TestCertificates.create();
    }

    @Test
    void theClientCertificatesSubjectIsThePrincipal() throws Exception {
        try (AsyncRpcServer server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(new WhoImpl())
                .tls(certs.context("server"), AsyncRpcServer.ClientAuth.NEED).build().start();
                AsyncRpcClient client = AsyncRpcClient.builder().address(server.address()).tls(certs.context("client")).build()) {
            assertThat(client.proxy(Who.class).who()).isEqualTo("X500Principal:CN=trusted client / CN=trusted client");
        }
    }

    @Test
    void anInterceptorsPrincipalWinsAndTheCertificatesStayVisible() throws Exception {
        Principal service = () -> "service-account";
        try (AsyncRpcServer server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(new WhoImpl())
                .interceptor((call) -> {
                    assertThat(call.principal()).contains(new X500Principal("CN=trusted client"));
                    assertThat(call.peerCertificates()).isNotEmpty();
                    call.principal(service);
                    return null;
                })
                .tls(certs.context("server"), AsyncRpcServer.ClientAuth.NEED).build().start();
                AsyncRpcClient client = AsyncRpcClient.builder().address(server.address()).tls(certs.context("client")).build()) {
            assertThat(client.proxy(Who.class).who()).endsWith(":service-account / CN=trusted client");
        }
    }

    @Test
    void withoutAClientCertificateThereIsNoPrincipal() throws Exception {
        try (AsyncRpcServer server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(new WhoImpl())
                .tls(certs.context("server"), AsyncRpcServer.ClientAuth.WANT).build().start();
                AsyncRpcClient client = AsyncRpcClient.builder().address(server.address()).tls(certs.context(null)).build();
                AsyncRpcServer plain = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(new WhoImpl()).build().start();
                AsyncRpcClient plainClient = AsyncRpcClient.builder().address(plain.address()).build()) {
            assertThat(client.proxy(Who.class).who()).isEqualTo("none / no certificate");
            assertThat(plainClient.proxy(Who.class).who()).isEqualTo("none / no certificate");
        }
    }
}
