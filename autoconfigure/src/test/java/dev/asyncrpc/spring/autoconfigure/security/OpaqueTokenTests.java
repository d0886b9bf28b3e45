package dev.asyncrpc.spring.autoconfigure.security;

import java.time.Duration;

import dev.asyncrpc.AsyncRpcClient;
import dev.asyncrpc.CallOptions;
import dev.asyncrpc.RemoteCallException;
import dev.asyncrpc.Status;
import dev.asyncrpc.spring.autoconfigure.AsyncRpcServerLifecycle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Opaque tokens: a server configured with {@code spring.security.oauth2.resourceserver.opaquetoken.*}
 * asks a real Spring Authorization Server, started in the test, to introspect each new token (its
 * {@code /oauth2/introspect} endpoint over loopback). A token the authorization server issued is
 * active and admitted, its subject the caller; a token it never issued is inactive and refused with
 * {@code UNAUTHENTICATED}; neither token is ever printed.
 */
@ExtendWith(OutputCaptureExtension.class)
class OpaqueTokenTests {

    private static TestAuthorizationServer authorizationServer;

    private static ConfigurableApplicationContext context;

    @BeforeAll
    static void start() {
        authorizationServer = TestAuthorizationServer.start(Duration.ofMinutes(5), "read");
        String opaque = "spring.security.oauth2.resourceserver.opaquetoken.";
        context = new SpringApplicationBuilder(OpaqueTokenApplication.class).web(WebApplicationType.NONE)
            .properties("spring.main.banner-mode=off", "asyncrpc.server.port=0", "asyncrpc.server.address=127.0.0.1",
                    "asyncrpc.client.enabled=false", opaque + "introspection-uri=" + authorizationServer.introspectionUri(),
                    opaque + "client-id=" + TestAuthorizationServer.CLIENT_ID, opaque + "client-secret=" + TestAuthorizationServer.CLIENT_SECRET,
                    "asyncrpc.server.security.rules[0].operations=vault/*", "asyncrpc.server.security.rules[0].authorities=SCOPE_read")
            .run();
    }

    @AfterAll
    static void stop() {
        if (context != null) {
            context.close();
        }
        if (authorizationServer != null) {
            authorizationServer.close();
        }
    }

    @Test
    void anActiveTokenIsAdmittedAndAnInactiveOneRefused(CapturedOutput output) throws Exception {
        String active = authorizationServer.accessToken("read");
        String inactive = "never-issued-" + Long.toHexString(System.nanoTime()) + "-7d1e0c";
        String address = context.getBean(AsyncRpcServerLifecycle.class).getServer().address();
        try (AsyncRpcClient client = AsyncRpcClient.builder().address(address).build()) {
            Vault admitted = client.proxy(Vault.class, CallOptions.DEFAULT.withMetadata("authorization", "Bearer " + active));
            String caller = "principal=" + TestAuthorizationServer.CLIENT_ID + " context=" + TestAuthorizationServer.CLIENT_ID;
            assertThat(admitted.whoami()).isEqualTo(caller);
            assertThat(admitted.whoami()).as("the second call is served from the token cache").isEqualTo(caller);
            Vault refused = client.proxy(Vault.class, CallOptions.DEFAULT.withMetadata("authorization", "Bearer " + inactive));
            assertThatExceptionOfType(RemoteCallException.class).isThrownBy(refused::whoami).satisfies((ex) -> {
                System.out.println("inactive token: " + ex.getMessage());
                assertThat(ex.status()).isEqualTo(Status.UNAUTHENTICATED);
                assertThat(ex.getMessage()).doesNotContain(inactive);
            });
            Vault anonymous = client.proxy(Vault.class);
            assertThatExceptionOfType(RemoteCallException.class).isThrownBy(anonymous::whoami)
                .satisfies((ex) -> assertThat(ex.status()).isEqualTo(Status.UNAUTHENTICATED));
        }
        assertThat(output.getAll()).doesNotContain(active).doesNotContain(inactive).doesNotContain(TestAuthorizationServer.CLIENT_SECRET);
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @Import(VaultEndpoint.class)
    static class OpaqueTokenApplication {

    }
}
