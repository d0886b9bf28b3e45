package dev.asyncrpc.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.asyncrpc.AsyncCall;
import dev.asyncrpc.CancelMode;
import dev.asyncrpc.InPipe;
import dev.asyncrpc.OutPipe;
import dev.asyncrpc.spring.autoconfigure.AsyncRpcClients;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample as it runs, on free ports: after its start-up demo, its management port serves the
 * call timers and the direct-memory gauge to Prometheus, the readiness probe, and the asyncrpc
 * endpoint, whose answer docs/observability.md shows.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = { "asyncrpc.server.port=0", "asyncrpc.server.address=127.0.0.1" })
@Timeout(60)
class SampleObservabilityTests {

    private static final Path DOC = Path.of("..", "docs", "observability.md");

    private static final JsonMapper json = JsonMapper.builder().build();

    /** A greetLater delay longer than any test: such a call ends when the test cancels it. */
    private static final long WAITS_UNTIL_CANCELLED = Duration.ofMinutes(5).toMillis();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** The management port: the sample's only HTTP port. */
    @Value("${local.server.port}")
    private int managementPort;

    @Value("${local.asyncrpc.server.port}")
    private int asyncrpcPort;

    @Autowired
    private GreeterDemo demo;

    @Autowired
    private GreeterAsync greeterAsync;

    @Autowired
    private MeterRegistry registry;

    @Autowired
    private AsyncRpcClients clients;

    @Test
    void theDemoRanOnFreePorts() {
        assertThat(this.managementPort).isPositive().isNotEqualTo(8081);
        assertThat(this.asyncrpcPort).isPositive().isNotEqualTo(7443);
        assertThat(this.demo.report().succeeded()).isTrue();
    }

    @Test
    void prometheusServesTheDemosCallTimersPipeCountersAndTheDirectMemoryGauge() throws Exception {
        HttpResponse<String> response = get("/actuator/prometheus");
        assertThat(response.statusCode()).isEqualTo(200);
        String body = response.body();
        assertThat(sample(body, "asyncrpc_client_requests_seconds_count", "async=\"false\"", "method=\"greet\"", "status=\"OK\"")).isPositive();
        assertThat(sample(body, "asyncrpc_client_requests_seconds_count", "async=\"true\"", "method=\"greet\"", "status=\"OK\"")).isPositive();
        assertThat(sample(body, "asyncrpc_client_requests_seconds_count", "method=\"greet\"", "status=\"APPLICATION_ERROR\"")).isPositive();
        assertThat(sample(body, "asyncrpc_client_requests_seconds_count", "method=\"greetLater\"", "status=\"INVALID_ARGUMENT\"")).isPositive();
        assertThat(sample(body, "asyncrpc_server_requests_seconds_count", "async=\"false\"", "method=\"greet\"", "status=\"OK\"")).isPositive();
        assertThat(sample(body, "asyncrpc_server_requests_seconds_count", "async=\"true\"", "method=\"greetLater\"", "status=\"OK\"")).isPositive();
        assertThat(sample(body, "asyncrpc_netty_direct_memory_used_bytes")).isPositive();
        assertThat(sample(body, "asyncrpc_client_calls_pending", "service=\"greeter\"")).isNotNegative();
        assertThat(sample(body, "asyncrpc_server_connections")).isEqualTo(1);
        assertThat(sample(body, "asyncrpc_goaways_total", "side=\"server\"")).isZero();
        // the demo's greetEach pipes have ended: the pipe gauges are there, and read zero
        assertThat(sample(body, "asyncrpc_client_requests_seconds_count", "method=\"greetEach\"", "status=\"OK\"")).isPositive();
        assertThat(sample(body, "asyncrpc_server_pipes_open", "direction=\"in\"")).isZero();
        assertThat(sample(body, "asyncrpc_server_pipes_bytes", "direction=\"out\"")).isZero();
        assertThat(sample(body, "asyncrpc_client_pipes_open", "service=\"greeter\"", "direction=\"out\"")).isZero();
        assertThat(sample(body, "asyncrpc_client_pipes_stalled_seconds", "service=\"greeter\"", "direction=\"in\"")).isZero();
        // ... and the pipe counters keep what went through them
        assertThat(body).contains("# TYPE asyncrpc_client_pipe_elements_total counter", "# TYPE asyncrpc_server_pipe_bytes_total counter");
        assertThat(sample(body, "asyncrpc_client_pipe_elements_total", "service=\"greeter\"", "direction=\"in\"")).isPositive();
        assertThat(sample(body, "asyncrpc_client_pipe_bytes_total", "service=\"greeter\"", "direction=\"out\"")).isPositive();
        assertThat(sample(body, "asyncrpc_server_pipe_elements_total", "direction=\"out\"")).isPositive();
        assertThat(sample(body, "asyncrpc_server_pipe_bytes_total", "direction=\"in\"")).isPositive();
        assertThat(sample(body, "asyncrpc_server_pipes_opened_total")).isPositive();
        assertThat(sample(body, "asyncrpc_client_pipes_opened_total", "service=\"greeter\"")).isPositive();
    }

    @Test
    void readinessIsUpAndTheAsyncrpcServerAccepts() throws Exception {
        HttpResponse<String> readiness = get("/actuator/health/readiness");
        assertThat(readiness.statusCode()).isEqualTo(200);
        assertThat(json.readTree(readiness.body()).path("status").asString()).isEqualTo("UP");
        HttpResponse<String> asyncrpc = get("/actuator/health/asyncrpc");
        assertThat(asyncrpc.statusCode()).isEqualTo(200);
        JsonNode health = json.readTree(asyncrpc.body());
        assertThat(health.path("status").asString()).as(asyncrpc.body()).isEqualTo("UP");
        assertThat(health.path("components").path("server").path("details").path("state").asString()).as(asyncrpc.body())
            .isEqualTo("ACCEPTING");
        assertThat(health.path("components").path("clients").path("details").path("greeter").path("connection").asString())
            .as(asyncrpc.body())
            .isEqualTo("CONNECTED");
        JsonNode greeter = health.path("components").path("clients").path("details").path("greeter");
        assertThat(greeter.path("status").asString()).as(asyncrpc.body()).isEqualTo("UP");
        assertThat(greeter.path("rttMillis").isNumber()).as(asyncrpc.body()).isTrue();
    }

    @Test
    void asyncrpcEndpointListsTheGreeterAndItsPendingCalls() throws Exception {
        AsyncCall<Greeting> pending = this.greeterAsync.greetLater("Endpoint", WAITS_UNTIL_CANCELLED);
        String text = get("/actuator/asyncrpc").body();
        JsonNode body = json.readTree(text);
        assertThat(body.path("server").path("services").path(0).path("name").asString()).as(text).isEqualTo("greeter");
        assertThat(body.path("clients").path("greeter").path("pending").path(0).path("method").asString()).as(text).isEqualTo("greetLater");
        cancel(pending);
    }

    /**
     * docs/observability.md shows what the endpoint answers while a call is pending and another
     * streams through its pipes (port, ages and call ids made stable).
     */
    @Test
    void endpointExampleInTheDocsIsWhatTheEndpointAnswers() throws Exception {
        AsyncCall<Greeting> pending = this.greeterAsync.greetLater("Docs", WAITS_UNTIL_CANCELLED);
        // two names sent and greeted, the names pipe still open, the greetings not read yet
        InPipe<String> names = InPipe.create();
        OutPipe<Greeting> greetings = OutPipe.create();
        CompletableFuture<Integer> streaming = this.greeterAsync.greetEach(names, greetings);
        names.push("Ada", "Alan");
        String body = await().atMost(Duration.ofSeconds(10)).until(() -> get("/actuator/asyncrpc").body(), (text) -> {
            JsonNode answer = json.readTree(text);
            List<JsonNode> pipes = new ArrayList<>();
            answer.path("server").path("openPipes").forEach(pipes::add);
            answer.path("clients").path("greeter").path("openPipes").forEach(pipes::add);
            return pipes.size() == 4 && pipes.stream().allMatch((pipe) -> pipe.path("elements").asLong() == 2);
        });
        names.close();
        List<Greeting> greeted = new ArrayList<>();
        greetings.forEach(greeted::add);
        assertThat(streaming.get(10, TimeUnit.SECONDS)).isEqualTo(2);
        assertThat(greeted).extracting(Greeting::name).containsExactly("Ada", "Alan");
        cancel(pending);
        String actual = json.writerWithDefaultPrettyPrinter().writeValueAsString(json.readTree(body
            .replace("127.0.0.1:" + this.asyncrpcPort, "127.0.0.1:7443")
            .replaceAll("\"ageMillis\":\\d+", "\"ageMillis\":12")
            .replaceAll("\"callId\":\\d+", "\"callId\":5")));
        Path written = Path.of("target", "asyncrpc-endpoint-example.json");
        Files.writeString(written, actual + "\n");
        assertThat(endpointExample()).as("the endpoint example in %s (the test wrote the current answer to %s)", DOC, written.toAbsolutePath())
            .isEqualTo(actual);
    }

    /** Cancel a greetLater call and wait until its server has ended it too (and every pipe has ended), so that no test sees it. */
    private void cancel(AsyncCall<Greeting> call) {
        assertThat(call.cancel(CancelMode.ABORTIVE)).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> this.clients.client("greeter").pendingCallSnapshot().isEmpty()
                && this.clients.client("greeter").openPipes().isEmpty());
    }

    /** Every asyncrpc meter the running sample has is described in docs/observability.md. */
    @Test
    void everyMeterIsDocumented() throws IOException {
        String doc = Files.readString(DOC);
        TreeSet<String> names = new TreeSet<>();
        for (Meter meter : this.registry.getMeters()) {
            if (meter.getId().getName().startsWith("asyncrpc.")) {
                names.add(meter.getId().getName());
            }
        }
        assertThat(names).contains("asyncrpc.client.requests", "asyncrpc.server.requests", "asyncrpc.netty.direct.memory.used");
        assertThat(names).allSatisfy((name) -> assertThat(doc).as("docs/observability.md describes %s", name).contains("`" + name + "`"));
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.managementPort + path))
            .timeout(Duration.ofSeconds(10))
            .build();
        return this.http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** The value of the one Prometheus sample of {@code name} with all of {@code labels}. */
    private static double sample(String body, String name, String... labels) {
        Pattern line = Pattern.compile("^" + Pattern.quote(name) + "(\\{[^}]*\\})? (\\S+)$", Pattern.MULTILINE);
        Matcher m = line.matcher(body);
        List<Double> values = new java.util.ArrayList<>();
        while (m.find()) {
            String found = (m.group(1) != null) ? m.group(1) : "";
            if (List.of(labels).stream().allMatch(found::contains)) {
                values.add(Double.parseDouble(m.group(2)));
            }
        }
        assertThat(values).as("samples of %s with %s", name, List.of(labels)).hasSize(1);
        return values.get(0);
    }

    /** The JSON block that follows the endpoint-example marker in the docs. */
    private static String endpointExample() throws IOException {
        String doc = Files.readString(DOC);
        int marker = doc.indexOf("<!-- endpoint-example -->");
        assertThat(marker).as("the endpoint-example marker in %s", DOC).isNotNegative();
        int start = doc.indexOf("```json\n", marker) + "```json\n".length();
        int end = doc.indexOf("\n```", start);
        return doc.substring(start, end);
    }
}
