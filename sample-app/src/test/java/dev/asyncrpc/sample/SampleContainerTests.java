package dev.asyncrpc.sample;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import dev.asyncrpc.AsyncCall;
import dev.asyncrpc.CallState;
import dev.asyncrpc.RemoteCallException;
import dev.asyncrpc.Status;
import dev.asyncrpc.spring.ImportRemoteServices;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.MountableFile;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The packaged sample running in a container (the local base image, host networking, loopback
 * only) and a client-only application pointed at it by {@code @ServiceConnection}: every
 * operation of the sample is called. Runs under failsafe, after {@code package}.
 */
@SpringBootTest(classes = SampleContainerTests.ClientApplication.class)
@Testcontainers(disabledWithoutDocker = true)
class SampleContainerTests {

    private static final int PORT = freeLoopbackPort();

    @Container
    @ServiceConnection(name = "asyncrpc")
    static final GenericContainer<?> sample = new GenericContainer<>("asyncrpc/jre-base:17")
        .withNetworkMode("host")
        .withCopyFileToContainer(MountableFile.forHostPath(sampleJar()), "/app/app.jar")
        .withEnv("ASYNCRPC_SERVER_ADDRESS", "127.0.0.1")
        .withEnv("ASYNCRPC_SERVER_PORT", String.valueOf(PORT))
        .withCommand("java", "-jar", "/app/app.jar")
        .waitingFor(Wait.forLogMessage(".*asyncrpc server listening on.*", 1).withStartupTimeout(Duration.ofMinutes(2)));

    @Autowired
    private Greeter greeter;

    @Autowired
    private GreeterAsync greeterAsync;

    @Test
    void greet() {
        assertThat(this.greeter.greet("container")).isEqualTo(new Greeting("Hello, container!", "container"));
    }

    @Test
    void greetAsynchronously() throws Exception {
        assertThat(this.greeterAsync.greet("future").get(10, java.util.concurrent.TimeUnit.SECONDS).name()).isEqualTo("future");
    }

    @Test
    void greetLater() {
        AsyncCall<Greeting> call = this.greeterAsync.greetLater("later", 200);
        assertThat(call.join(Duration.ofSeconds(10)).name()).isEqualTo("later");
        assertThat(call.state()).isEqualTo(CallState.COMPLETE);
    }

    @Test
    void greetLaterRejectsANegativeDelay() {
        assertThatExceptionOfType(RemoteCallException.class).isThrownBy(() -> this.greeter.greetLater("never", -1))
            .satisfies((ex) -> assertThat(ex.status()).isEqualTo(Status.INVALID_ARGUMENT));
    }

    private static Path sampleJar() {
        Path jar = Path.of(System.getProperty("asyncrpc.sample.jar", "target/asyncrpc-sample-app-0.1.0-SNAPSHOT.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("No sample jar at " + jar.toAbsolutePath() + ": run this test with `./mvnw verify` (after package)");
        }
        return jar;
    }

    private static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** A client-only application: no endpoints, so no server; the container supplies the address. */
    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @ImportRemoteServices({ Greeter.class, GreeterAsync.class })
    static class ClientApplication {

    }
}
