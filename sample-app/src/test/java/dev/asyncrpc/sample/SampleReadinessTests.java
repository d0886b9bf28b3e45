package dev.asyncrpc.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.asyncrpc.AsyncCall;
import dev.asyncrpc.AsyncRpcServer;
import dev.asyncrpc.spring.autoconfigure.AsyncRpcServerLifecycle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The readiness probe goes OUT_OF_SERVICE as soon as the asyncrpc server begins to drain, while
 * the calls in progress still finish: Kubernetes stops routing before the server stops answering.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = { "asyncrpc.server.port=0", "asyncrpc.server.address=127.0.0.1", "asyncrpc.sample.demo.enabled=false" })
@DirtiesContext
@Timeout(60)
class SampleReadinessTests {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Value("${local.server.port}")
    private int managementPort;

    @Autowired
    private AsyncRpcServerLifecycle lifecycle;

    @Autowired
    private GreeterAsync greeterAsync;

    @Test
    void readinessGoesOutOfServiceWhenTheServerBeginsToDrain() throws Exception {
        assertThat(readiness().statusCode()).isEqualTo(200);
        AsyncCall<Greeting> inProgress = this.greeterAsync.greetLater("Kubernetes", 1500);
        AsyncRpcServer server = this.lifecycle.getServer();
        await().atMost(Duration.ofSeconds(10)).until(() -> server.activeCalls() == 1);
        CompletableFuture<Integer> drain = CompletableFuture.supplyAsync(() -> server.shutdown(Duration.ofSeconds(10)));
        await().atMost(Duration.ofSeconds(10)).until(() -> readiness().statusCode() == 503);
        assertThat(readiness().body()).contains("OUT_OF_SERVICE");
        assertThat(inProgress.join(Duration.ofSeconds(10)).name()).as("the call in progress finishes").isEqualTo("Kubernetes");
        assertThat(drain.get(20, TimeUnit.SECONDS)).as("calls left when the drain ended").isZero();
        assertThat(readiness().statusCode()).isEqualTo(503);
    }

    private HttpResponse<String> readiness() throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.managementPort + "/actuator/health/readiness"))
            .timeout(Duration.ofSeconds(10))
            .build();
        return this.http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
