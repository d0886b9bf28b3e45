package dev.asyncrpc.spring.autoconfigure.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.util.MimeType;

/**
 * The asyncrpc console, an Actuator endpoint on the management port
 * ({@code /actuator/asyncrpcconsole}), so that it is exposed, secured and moved like every other
 * Actuator endpoint:
 * <ul>
 * <li>{@code GET /actuator/asyncrpcconsole}: the page;</li>
 * <li>{@code GET .../console.js}, {@code .../console.css}: its script and style;</li>
 * <li>{@code GET .../model}: the services, operations (with JSON Schema) and imports;</li>
 * <li>{@code GET .../live}: pending calls, open pipes and per-operation statistics;</li>
 * <li>{@code POST .../{service}/{operation}} with {@code {"arguments": "<JSON>", "input": "<JSON lines>"}}: a call;</li>
 * <li>{@code GET .../calls/{id}?from=n}: a call's outcome and its out-pipe elements from index {@code n};</li>
 * <li>{@code DELETE .../calls/{id}}: cancel it.</li>
 * </ul>
 */
@Endpoint(id = "asyncrpcconsole")
public final class AsyncRpcConsoleEndpoint implements AutoCloseable {

    private static final String RESOURCES = "/META-INF/asyncrpc/console/";

    private static final MimeType JSON = MimeType.valueOf("application/json");

    private final ConsoleCatalog catalog;

    private final ConsoleCalls calls;

    private final ConsoleLiveView live;

    AsyncRpcConsoleEndpoint(ConsoleCatalog catalog, ConsoleCalls calls, ConsoleLiveView live) {
        this.catalog = catalog;
        this.calls = calls;
        this.live = live;
    }

    /**
     * The console page.
     * @return the HTML
     */
    @ReadOperation(produces = "text/html")
    public String page() {
        return resource("index.html");
    }

    /**
     * The page's script and style, the model and the live view.
     * @param name {@code console.js}, {@code console.css}, {@code model} or {@code live}
     * @return the resource
     */
    @ReadOperation
    public WebEndpointResponse<Object> get(@Selector String name) {
        return switch (name) {
            case "console.js" -> new WebEndpointResponse<>(resource(name), 200, MimeType.valueOf("text/javascript;charset=UTF-8"));
            case "console.css" -> new WebEndpointResponse<>(resource(name), 200, MimeType.valueOf("text/css;charset=UTF-8"));
            case "model" -> new WebEndpointResponse<>(this.catalog.model(), 200, JSON);
            case "live" -> new WebEndpointResponse<>(this.live.snapshot(), 200, JSON);
            default -> new WebEndpointResponse<>(Map.of("error", "no console resource '" + name + "'"), 404, JSON);
        };
    }

    /**
     * A call made from the console.
     * @param kind {@code calls}
     * @param id the call's id
     * @param from the index of the first out-pipe element to return
     * @return the call's state
     */
    @ReadOperation
    public WebEndpointResponse<Object> call(@Selector String kind, @Selector String id, @Nullable Integer from) {
        ConsoleCall call = find(kind, id);
        if (call == null) {
            return new WebEndpointResponse<>(Map.of("error", "no console call " + kind + "/" + id), 404, JSON);
        }
        return new WebEndpointResponse<>(call.view((from != null) ? from : 0), 200, JSON);
    }

    /**
     * Call an operation.
     * @param service the service name
     * @param operation the operation name
     * @param arguments the value arguments: a JSON object by parameter name, or a JSON array in order
     * @param input an in-pipe's elements, one JSON value per line
     * @return the call's state, or the reason it could not start
     */
    @WriteOperation
    public WebEndpointResponse<Object> invoke(@Selector String service, @Selector String operation, @Nullable String arguments,
            @Nullable String input) {
        try {
            return new WebEndpointResponse<>(this.calls.start(service, operation, arguments, input).view(0), 200, JSON);
        }
        catch (IllegalArgumentException ex) {
            return new WebEndpointResponse<>(Map.of("error", ex.getMessage()), 400, JSON);
        }
        catch (IllegalStateException ex) {
            return new WebEndpointResponse<>(Map.of("error", ex.getMessage()), 429, JSON);
        }
    }

    /**
     * Cancel a call made from the console (abortively when it has a call handle).
     * @param kind {@code calls}
     * @param id the call's id
     * @return the call's state
     */
    @DeleteOperation
    public WebEndpointResponse<Object> cancel(@Selector String kind, @Selector String id) {
        ConsoleCall call = find(kind, id);
        if (call == null) {
            return new WebEndpointResponse<>(Map.of("error", "no console call " + kind + "/" + id), 404, JSON);
        }
        call.cancel();
        return new WebEndpointResponse<>(call.view(0), 200, JSON);
    }

    /** Close the console's own client and threads (called when the context closes). */
    public void close() {
        this.calls.close();
    }

    private @Nullable ConsoleCall find(String kind, String id) {
        if (!"calls".equals(kind)) {
            return null;
        }
        try {
            return this.calls.call(Long.parseLong(id));
        }
        catch (NumberFormatException ex) {
            return null;
        }
    }

    private static String resource(String name) {
        try (InputStream in = AsyncRpcConsoleEndpoint.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException("console resource " + RESOURCES + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
