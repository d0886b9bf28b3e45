package dev.asyncrpc.spring.autoconfigure.console;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.asyncrpc.spring.autoconfigure.AsyncRpcClientAutoConfiguration;
import dev.asyncrpc.spring.autoconfigure.AsyncRpcServerAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The console's auto-configuration, and its calls through a real server. */
@Timeout(60)
class AsyncRpcConsoleAutoConfigurationTests {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AsyncRpcServerAutoConfiguration.class, AsyncRpcClientAutoConfiguration.class,
                AsyncRpcConsoleAutoConfiguration.class))
        .withBean(ShopEndpoint.class)
        .withPropertyValues("asyncrpc.server.port=0", "asyncrpc.server.address=127.0.0.1",
                "management.endpoints.web.exposure.include=asyncrpcconsole");

    @Test
    void isOffByDefault() {
        this.runner.run((context) -> assertThat(context).doesNotHaveBean(AsyncRpcConsoleEndpoint.class));
    }

    @Test
    void isOffWhenNotExposedEvenIfEnabled() {
        this.runner.withPropertyValues("asyncrpc.console.enabled=true", "management.endpoints.web.exposure.include=health")
            .run((context) -> assertThat(context).doesNotHaveBean(AsyncRpcConsoleEndpoint.class));
    }

    @Test
    void refusesABadLimitNamingIt() {
        this.runner.withPropertyValues("asyncrpc.console.enabled=true", "asyncrpc.console.max-calls=0")
            .run((context) -> assertThat(context).getFailure().rootCause()
                .hasMessage("asyncrpc.console.max-calls: 0 (expected: >= 1)"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void describesEveryOperationWithItsSchemaAndPipes() {
        this.runner.withPropertyValues("asyncrpc.console.enabled=true").run((context) -> {
            AsyncRpcConsoleEndpoint console = context.getBean(AsyncRpcConsoleEndpoint.class);
            Map<String, Object> model = (Map<String, Object>) console.get("model").getBody();
            List<Map<String, Object>> services = (List<Map<String, Object>>) model.get("services");
            assertThat(services).singleElement().satisfies((s) -> assertThat(s).containsEntry("name", "shop"));
            List<Map<String, Object>> operations = (List<Map<String, Object>>) services.get(0).get("operations");
            assertThat(operations).extracting((o) -> o.get("name")).containsExactlyInAnyOrder("place", "count", "fail");
            Map<String, Object> count = operations.stream().filter((o) -> o.get("name").equals("count")).findFirst().orElseThrow();
            assertThat(count).containsEntry("pipes", List.of("IN", "OUT")).containsEntry("callable", true)
                .containsEntry("asyncImplementation", false).containsEntry("callerView", Shop.class.getName());
            assertThat((List<Map<String, Object>>) count.get("parameters")).extracting((p) -> p.get("name") + ":" + p.get("pipe"))
                .containsExactly("items:in", "receipts:out");
            Map<String, Object> place = operations.stream().filter((o) -> o.get("name").equals("place")).findFirst().orElseThrow();
            assertThat((Map<String, Object>) place.get("argumentsSchema")).containsEntry("required", List.of("order", "quantity"));
            assertThat(console.page()).contains("<title>asyncrpc console</title>");
            WebEndpointResponse<Object> script = console.get("console.js");
            assertThat(script.getContentType().toString()).startsWith("text/javascript");
            assertThat(console.get("nothing").getStatus()).isEqualTo(404);
        });
    }

    @Test
    @SuppressWarnings("unchecked")
    void callsAnOperationWithJsonArgumentsThroughTheWire() {
        this.runner.withPropertyValues("asyncrpc.console.enabled=true").run((context) -> {
            AsyncRpcConsoleEndpoint console = context.getBean(AsyncRpcConsoleEndpoint.class);
            WebEndpointResponse<Object> started = console.invoke("shop", "place",
                    "{\"order\":{\"id\":\"A\",\"items\":[{\"sku\":\"s1\",\"price\":2.5}],\"counts\":{\"s1\":1},\"kind\":\"RETAIL\","
                            + "\"note\":\"aGk=\",\"urgent\":true},\"quantity\":3}", null);
            assertThat(started.getStatus()).isEqualTo(200);
            Map<String, Object> done = awaitEnd(console, started);
            assertThat(done).containsEntry("status", "OK");
            assertThat((String) done.get("result")).contains("\"id\":\"A-x3\"").contains("\"note\":\"aGk=\"").contains("\"kind\":\"RETAIL\"");
            assertThat((Double) done.get("durationMillis")).isPositive();

            Map<String, Object> failed = awaitEnd(console, console.invoke("shop", "fail", "{\"why\":\"testing\"}", null));
            assertThat(failed).containsEntry("status", "APPLICATION_ERROR");
            assertThat((String) failed.get("message")).contains("failed because testing");
        });
    }

    @Test
    @SuppressWarnings("unchecked")
    void feedsAnInPipeFromJsonLinesAndCollectsTheOutPipe() {
        this.runner.withPropertyValues("asyncrpc.console.enabled=true").run((context) -> {
            AsyncRpcConsoleEndpoint console = context.getBean(AsyncRpcConsoleEndpoint.class);
            StringBuilder lines = new StringBuilder();
            for (int i = 0; i < 300; i++) {
                lines.append("{\"sku\":\"s").append(i).append("\",\"price\":").append(i).append(".5}\n\n");
            }
            Map<String, Object> done = awaitEnd(console, console.invoke("shop", "count", "{}", lines.toString()));
            assertThat(done).containsEntry("status", "OK").containsEntry("result", "300").containsEntry("inputCount", 300)
                .containsEntry("elementCount", 300L);
            List<String> elements = (List<String>) done.get("elements");
            assertThat(elements).hasSize(300).startsWith("\"s0=0.5\"", "\"s1=1.5\"").endsWith("\"s299=299.5\"");
            // the page fetches only what it has not shown yet
            Map<String, Object> tail = (Map<String, Object>) console.call("calls", String.valueOf(done.get("id")), 298).getBody();
            assertThat((List<String>) tail.get("elements")).containsExactly("\"s298=298.5\"", "\"s299=299.5\"");
        });
    }

    @Test
    @SuppressWarnings("unchecked")
    void refusesBadArgumentsSayingWhatIsWrong() {
        this.runner.withPropertyValues("asyncrpc.console.enabled=true").run((context) -> {
            AsyncRpcConsoleEndpoint console = context.getBean(AsyncRpcConsoleEndpoint.class);
            assertThat(error(console.invoke("shop", "fail", "{\"reason\":\"x\"}", null)))
                .isEqualTo("unknown argument 'reason' (expected: [why])");
            assertThat(error(console.invoke("shop", "place", "{\"order\":null}", null)))
                .isEqualTo("argument 'quantity' is missing (expected: int)");
            assertThat(error(console.invoke("shop", "place", "{\"order\":null,\"quantity\":\"many\"}", null)))
                .startsWith("argument 'quantity' is not a int: ");
            assertThat(error(console.invoke("shop", "place", "{oops", null))).startsWith("arguments are not JSON: ");
            assertThat(error(console.invoke("shop", "count", "{}", "{\"sku\":\"a\",\"price\":1}\nnot json")))
                .startsWith("line 2 of the input of pipe 'items' is not a " + Shop.Item.class.getTypeName());
            assertThat(error(console.invoke("shop", "nothing", "{}", null))).startsWith("shop/nothing cannot be called from the console");
            assertThat(console.call("calls", "12345", null).getStatus()).isEqualTo(404);
        });
    }

    @Test
    void sendsTheTokenConfiguredForTheServiceWithItsCalls() {
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        this.runner.withConfiguration(AutoConfigurations.of(
                dev.asyncrpc.spring.autoconfigure.security.AsyncRpcClientSecurityAutoConfiguration.class))
            .withBean(dev.asyncrpc.ServerInterceptor.class, () -> (call) -> {
                seen.add(String.valueOf(call.metadata().get("authorization")));
                return null;
            })
            .withPropertyValues("asyncrpc.console.enabled=true", "asyncrpc.client.services.shop.auth.bearer-token=console-test-token")
            .run((context) -> {
                AsyncRpcConsoleEndpoint console = context.getBean(AsyncRpcConsoleEndpoint.class);
                assertThat(awaitEnd(console, console.invoke("shop", "fail", "{\"why\":\"x\"}", null))).containsEntry("status", "APPLICATION_ERROR");
                assertThat(seen).singleElement().satisfies((authorization) -> assertThat(authorization).endsWith("console-test-token"));
            });
    }

    private static String error(WebEndpointResponse<Object> response) {
        assertThat(response.getStatus()).isEqualTo(400);
        return (String) ((Map<String, Object>) response.getBody()).get("error");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> awaitEnd(AsyncRpcConsoleEndpoint console, WebEndpointResponse<Object> started) {
        assertThat(started.getStatus()).as("%s", started.getBody()).isEqualTo(200);
        String id = String.valueOf(((Map<String, Object>) started.getBody()).get("id"));
        await().atMost(WAIT).until(() -> !"PENDING".equals(((Map<String, Object>) console.call("calls", id, 0).getBody()).get("status")));
        return (Map<String, Object>) console.call("calls", id, 0).getBody();
    }
}
