package dev.asyncrpc.spring.autoconfigure.security;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.asyncrpc.AsyncRpcClient;
import dev.asyncrpc.CallOptions;
import dev.asyncrpc.InPipe;
import dev.asyncrpc.RemoteCallException;
import dev.asyncrpc.Status;
import dev.asyncrpc.spring.autoconfigure.AsyncRpcServerLifecycle;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
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
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Issue 13, acceptance 1, 2 and 5: a Boot application with the resource-server JWT settings (a public
 * key file), {@code @EnableMethodSecurity} and {@code asyncrpc.server.security.permit=vault/hello},
 * called with RSA-signed JWTs made in the test. The captured output never holds a token.
 */
@ExtendWith(OutputCaptureExtension.class)
class JwtSecurityTests {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static TestTokens tokens;

    private static ConfigurableApplicationContext context;

    private static AsyncRpcClient client;

    private static String readToken;

    private static String adminToken;

    private final List<String> used = new ArrayList<>();

    @BeforeAll
    static void startServer() throws Exception {
        tokens = TestTokens.create();
        Path dir = Files.createTempDirectory("asyncrpc-jwt");
        Path publicKey = tokens.writePublicKey(dir);
        context = new SpringApplicationBuilder(VaultApplication.class).web(WebApplicationType.NONE)
            .properties("spring.main.banner-mode=off", "asyncrpc.server.port=0", "asyncrpc.server.address=127.0.0.1",
                    "spring.security.oauth2.resourceserver.jwt.public-key-location=file:" + publicKey,
                    "asyncrpc.server.security.permit=vault/hello")
            .run();
        String address = context.getBean(AsyncRpcServerLifecycle.class).getServer().address();
        client = AsyncRpcClient.builder().address(address).timeout(WAIT).build();
        readToken = tokens.token("alice", Duration.ofMinutes(10), "read");
        adminToken = tokens.token("root", Duration.ofMinutes(10), "read", "admin");
    }

    @AfterAll
    static void stopServer() {
        if (client != null) {
            client.close();
        }
        if (context != null) {
            context.close();
        }
    }

    @AfterEach
    void noTokenInTheOutput(CapturedOutput output) {
        for (String token : this.used) {
            assertThat(output.getAll()).as("captured output").doesNotContain(token);
            for (String part : token.split("\\.")) {
                assertThat(output.getAll()).as("captured output").doesNotContain(part);
            }
        }
    }

    private Vault vault(String token) {
        this.used.add(token);
        return client.proxy(Vault.class, CallOptions.DEFAULT.withMetadata("authorization", "Bearer " + token));
    }

    private static Vault anonymous() {
        return client.proxy(Vault.class);
    }

    private static int invocations() {
        return context.getBean(VaultEndpoint.class).invocations();
    }

    @Test
    void anAnonymousCallerReachesThePermittedOperationOnly() {
        assertThat(anonymous().hello("guest")).isEqualTo("hello guest principal=none context=none");
        int before = invocations();
        assertThatExceptionOfType(RemoteCallException.class).isThrownBy(() -> anonymous().whoami()).satisfies((ex) -> {
            assertThat(ex.status()).isEqualTo(Status.UNAUTHENTICATED);
            assertThat(ex.description()).contains("vault/whoami needs an authenticated caller");
        });
        assertThat(invocations()).as("the implementation never ran").isEqualTo(before);
    }

    @Test
    void aValidTokenNamesItsSubjectInServerCallAndTheSecurityContext() {
        assertThat(vault(readToken).whoami()).isEqualTo("principal=alice context=alice");
        assertThat(vault(readToken).hello("me")).isEqualTo("hello me principal=alice context=alice");
    }

    @Test
    void methodSecurityRefusesAMissingScopeAndAdmitsIt() {
        int before = invocations();
        assertThatExceptionOfType(RemoteCallException.class).isThrownBy(() -> vault(readToken).reset()).satisfies((ex) -> {
            System.out.println("refused: " + ex.status() + " " + ex.description());
            assertThat(ex.status()).isEqualTo(Status.PERMISSION_DENIED);
            assertThat(ex.description()).startsWith("caller 'alice' may not call vault/reset");
        });
        assertThat(invocations()).isEqualTo(before);
        assertThat(vault(adminToken).reset()).isEqualTo("reset by root");
    }

    @Test
    void forgedExpiredAndMalformedTokensAreUnauthenticatedAndTheImplementationNeverRuns() {
        int before = invocations();
        String forged = tokens.forged("mallory", "read", "admin");
        String expired = tokens.expired("alice", "read");
        for (String token : List.of(forged, expired, "not-a-jwt", readToken.substring(0, readToken.length() - 4) + "AAAA")) {
            for (Runnable call : List.<Runnable>of(() -> vault(token).whoami(), () -> vault(token).hello("x"))) {
                assertThatExceptionOfType(RemoteCallException.class).isThrownBy(call::run).satisfies((ex) -> {
                    System.out.println("refused: " + ex.status() + " " + ex.description());
                    assertThat(ex.status()).isEqualTo(Status.UNAUTHENTICATED);
                    assertThat(ex.description()).contains("were refused").doesNotContain(token);
                });
            }
        }
        assertThat(invocations()).as("the implementation never ran").isEqualTo(before);
    }

    @Test
    void anAsynchronousReplyOnAnotherThreadAndPipeCallbacksSeeTheSameAuthentication() {
        assertThat(vault(readToken).whoamiLater())
            .isEqualTo("principal=alice context=alice / principal=alice context=alice on vault-later");
        InPipe<String> items = InPipe.create();
        Vault vault = vault(adminToken);
        java.util.concurrent.CompletableFuture<String> result = java.util.concurrent.CompletableFuture.supplyAsync(() -> vault.collect(items));
        for (int i = 0; i < 20; i++) {
            items.push("item" + i).toCompletableFuture().join();
        }
        items.close();
        assertThat(result.join()).as("every onAvailable callback saw the caller").isEqualTo("root");
    }

    @Test
    void refusalsAreCountedByStatusAndNoMeterIsTaggedWithAToken() {
        MeterRegistry registry = context.getBean(MeterRegistry.class);
        double before = registry.counter(SecurityRefusalCounter.NAME, "status", "UNAUTHENTICATED").count();
        String forged = tokens.forged("mallory", "read");
        assertThatExceptionOfType(RemoteCallException.class).isThrownBy(() -> vault(forged).whoami());
        assertThatExceptionOfType(RemoteCallException.class).isThrownBy(() -> anonymous().whoami());
        assertThat(registry.counter(SecurityRefusalCounter.NAME, "status", "UNAUTHENTICATED").count()).isEqualTo(before + 2);
        vault(readToken).whoami();
        for (Meter meter : registry.getMeters()) {
            for (Tag tag : meter.getId().getTags()) {
                for (String token : this.used) {
                    assertThat(tag.getValue()).as("tag %s of %s", tag.getKey(), meter.getId().getName()).doesNotContain(token);
                }
            }
        }
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @EnableMethodSecurity
    @Import(VaultEndpoint.class)
    static class VaultApplication {

        @Bean
        SimpleMeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }
}
