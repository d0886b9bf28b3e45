package dev.asyncrpc.sample;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.asyncrpc.AsyncCall;
import dev.asyncrpc.CallState;
import dev.asyncrpc.InPipe;
import dev.asyncrpc.OutPipe;
import dev.asyncrpc.RemoteCallException;
import dev.asyncrpc.Status;
import dev.asyncrpc.spring.ImportRemoteServices;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The sample's container image, built from {@code sample-app/Dockerfile} on the local base image
 * ({@link SampleImage}), running with host networking on loopback only and a memory limit, and a
 * client-only application pointed at it by {@code @ServiceConnection}: every operation of the
 * sample is called (plain, future, {@code AsyncCall}), and the image's health probes, user and
 * heap sizing are checked. Runs under failsafe, after {@code package}; skipped only where there
 * is no Docker ({@link DockerCondition}).
 */
@SpringBootTest(classes = SampleContainerTests.ClientApplication.class)
@ExtendWith(DockerCondition.class)
@Testcontainers
class SampleContainerTests {

    private static final int PORT = freeLoopbackPort();

    private static final int MANAGEMENT_PORT = freeLoopbackPort();

    private static final long MEMORY_LIMIT = 512L * 1024 * 1024;

    @Container
    @ServiceConnection(name = "asyncrpc")
    static final GenericContainer<?> sample = new GenericContainer<>(SampleImage.build())
        .withNetworkMode("host")
        .withCreateContainerCmdModifier((cmd) -> cmd.getHostConfig().withMemory(MEMORY_LIMIT))
        .withEnv("ASYNCRPC_SERVER_ADDRESS", "127.0.0.1")
        .withEnv("ASYNCRPC_SERVER_PORT", String.valueOf(PORT))
        .withEnv("SERVER_ADDRESS", "127.0.0.1")
        .withEnv("SERVER_PORT", String.valueOf(MANAGEMENT_PORT))
        .waitingFor(Wait.forLogMessage(".*Started SampleApplication.*", 1).withStartupTimeout(Duration.ofMinutes(2)));

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
        assertThat(this.greeterAsync.greet("future").get(10, TimeUnit.SECONDS).name()).isEqualTo("future");
    }

    @Test
    void greetLater() {
        AsyncCall<Greeting> call = this.greeterAsync.greetLater("later", 200);
        assertThat(call.join(Duration.ofSeconds(10)).name()).isEqualTo("later");
        assertThat(call.state()).isEqualTo(CallState.COMPLETE);
    }

    @Test
    void greetEachStreamsAGreetingPerNameThroughPipes() throws Exception {
        InPipe<String> names = InPipe.create();
        OutPipe<Greeting> greetings = OutPipe.create();
        CompletableFuture<Integer> count = this.greeterAsync.greetEach(names, greetings);
        names.push(List.of("in", "a", "container"));
        names.close();
        List<Greeting> received = new ArrayList<>();
        greetings.forEach(received::add);
        assertThat(received).extracting(Greeting::name).containsExactly("in", "a", "container");
        assertThat(count.get(10, TimeUnit.SECONDS)).isEqualTo(3);
    }

    @Test
    void greetLaterRejectsANegativeDelay() {
        assertThatExceptionOfType(RemoteCallException.class).isThrownBy(() -> this.greeter.greetLater("never", -1))
            .satisfies((ex) -> assertThat(ex.status()).isEqualTo(Status.INVALID_ARGUMENT));
    }

    @Test
    void healthProbesOfTheImageAreUp() throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        for (String probe : new String[] { "/actuator/health/liveness", "/actuator/health/readiness" }) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + MANAGEMENT_PORT + probe))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(probe).isEqualTo(200);
            assertThat(response.body()).as(probe).contains("\"UP\"");
        }
    }

    @Test
    void runsAsAnUnprivilegedUser() throws Exception {
        assertThat(sample.execInContainer("id", "-u").getStdout().trim()).isEqualTo("1000");
    }

    @Test
    void heapIsSizedFromTheMemoryLimit() throws Exception {
        // the JVM is PID 1: ask it for its flags (jcmd is in the base image)
        String flags = sample.execInContainer("jcmd", "1", "VM.flags").getStdout();
        Matcher max = Pattern.compile("-XX:MaxHeapSize=(\\d+)").matcher(flags);
        assertThat(max.find()).as("MaxHeapSize in %s", flags).isTrue();
        assertThat(Long.parseLong(max.group(1))).isEqualTo(MEMORY_LIMIT * 3 / 4);
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
