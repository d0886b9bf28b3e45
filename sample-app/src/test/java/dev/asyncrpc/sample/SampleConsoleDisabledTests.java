package dev.asyncrpc.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/** With {@code asyncrpc.console.enabled=false} the console's page and its API answer 404. */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "asyncrpc.server.port=0",
        "asyncrpc.server.address=127.0.0.1", "asyncrpc.sample.demo.enabled=false", "asyncrpc.console.enabled=false" })
@Timeout(60)
class SampleConsoleDisabledTests {

    @Value("${local.server.port}")
    private int managementPort;

    @Test
    void theConsoleAnswers404WhenItsPropertyIsOff() throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        for (String path : new String[] { "", "/model", "/console.js" }) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + this.managementPort + "/actuator/asyncrpcconsole" + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(path).isEqualTo(404);
        }
        // the rest of Actuator still answers
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + this.managementPort + "/actuator/health")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
    }
}
