package dev.asyncrpc.spring.autoconfigure.observability;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import dev.asyncrpc.AsyncCall;
import dev.asyncrpc.spring.ImportRemoteServices;
import dev.asyncrpc.spring.autoconfigure.AsyncRpcClientAutoConfiguration;
import dev.asyncrpc.spring.autoconfigure.AsyncRpcServerAutoConfiguration;
import dev.asyncrpc.spring.observation.AsyncRpcClientObservationContext;
import dev.asyncrpc.spring.observation.DefaultAsyncRpcClientObservationConvention;
import dev.asyncrpc.spring.observation.DefaultAsyncRpcServerObservationConvention;
import dev.asyncrpc.spring.observation.ObservationCallObserver;
import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Observations of real calls; with Micrometer Tracing's OpenTelemetry bridge, the spans they make. */
@Timeout(60)
class AsyncRpcObservationAutoConfigurationTests {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AsyncRpcServerAutoConfiguration.class, AsyncRpcClientAutoConfiguration.class,
                AsyncRpcObservationAutoConfiguration.class))
        .withBean(MeteredEndpoint.class)
        .withUserConfiguration(ImportMetered.class)
        .withPropertyValues("asyncrpc.server.port=0", "asyncrpc.server.address=127.0.0.1",
                "asyncrpc.client.services.metered.address=${local.asyncrpc.server.address}");

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();

    private final SdkTracerProvider tracerProvider = SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(this.spans)).build();

    @AfterEach
    void closeTracing() {
        this.tracerProvider.close();
    }

    @Test
    void serverSpanIsAChildOfTheClientSpanForAPlainAndAnAsyncCall() {
        ObservationRegistry registry = tracingRegistry();
        this.runner.withBean(ObservationRegistry.class, () -> registry).run((context) -> {
            Metered.Plain plain = context.getBean(Metered.Plain.class);
            Metered.Async async = context.getBean(Metered.Async.class);
            MeteredEndpoint endpoint = context.getBean(MeteredEndpoint.class);
            Observation request = Observation.start("test.request", registry);
            try (Observation.Scope scope = request.openScope()) {
                assertThat(plain.greet("plain")).isEqualTo("Hello, plain");
                AsyncCall<String> held = async.hold("async");
                endpoint.awaitHeld(WAIT);
                endpoint.release("async");
                assertThat(held.join(WAIT)).isEqualTo("released async");
            }
            finally {
                request.stop();
            }
            // the trace context reached the server in the call's metadata
            assertThat(endpoint.lastMetadata).containsKey("traceparent");
            // the server's span ends when its reply is decided, perhaps after the client's
            await().atMost(WAIT).until(() -> this.spans.getFinishedSpanItems().size() == 5);
            List<SpanData> all = this.spans.getFinishedSpanItems();
            SpanData root = only(all, "test.request", SpanKind.INTERNAL);
            assertThat(all).extracting(SpanData::getTraceId).containsOnly(root.getTraceId());
            for (String operation : List.of("greet", "hold")) {
                SpanData client = only(all, "metered/" + operation, SpanKind.CLIENT);
                SpanData server = only(all, "metered/" + operation, SpanKind.SERVER);
                assertThat(client.getParentSpanId()).as("parent of the %s client span", operation).isEqualTo(root.getSpanId());
                assertThat(server.getParentSpanId()).as("parent of the %s server span", operation).isEqualTo(client.getSpanId());
                assertThat(server.getStartEpochNanos()).isGreaterThanOrEqualTo(client.getStartEpochNanos());
            }
            assertThat(only(all, "metered/hold", SpanKind.CLIENT).getAttributes().asMap())
                .anySatisfy((key, value) -> assertThat(key.getKey() + "=" + value).isEqualTo("async=true"));
        });
    }

    @Test
    void observesEachSideOfACallWithItsTags() {
        TestObservationRegistry registry = TestObservationRegistry.create();
        this.runner.withBean(ObservationRegistry.class, () -> registry).run((context) -> {
            assertThat(context.getBean(Metered.Plain.class).greet("Ada")).isEqualTo("Hello, Ada");
            await().atMost(WAIT).untilAsserted(() -> assertThat(registry)
                .hasObservationWithNameEqualTo(DefaultAsyncRpcServerObservationConvention.NAME).that().hasBeenStopped());
            assertThat(registry).hasNumberOfObservationsEqualTo(2)
                .hasObservationWithNameEqualTo(DefaultAsyncRpcClientObservationConvention.NAME).that()
                .hasContextualNameEqualTo("metered/greet")
                .hasLowCardinalityKeyValue("service", "metered")
                .hasLowCardinalityKeyValue("method", "greet")
                .hasLowCardinalityKeyValue("status", "OK")
                .hasLowCardinalityKeyValue("async", "false")
                .hasBeenStarted()
                .hasBeenStopped()
                .doesNotHaveError();
            assertThat(registry).hasObservationWithNameEqualTo(DefaultAsyncRpcServerObservationConvention.NAME).that()
                .hasContextualNameEqualTo("metered/greet")
                .hasLowCardinalityKeyValue("status", "OK")
                .hasLowCardinalityKeyValue("async", "false");
        });
    }

    @Test
    void aFailedCallIsTaggedWithItsStatusAndMarkedAsAnError() {
        TestObservationRegistry registry = TestObservationRegistry.create();
        this.runner.withBean(ObservationRegistry.class, () -> registry).run((context) -> {
            Metered.Plain plain = context.getBean(Metered.Plain.class);
            org.assertj.core.api.Assertions.assertThatException().isThrownBy(() -> plain.greet(""));
            await().atMost(WAIT).untilAsserted(() -> assertThat(registry)
                .hasObservationWithNameEqualTo(DefaultAsyncRpcServerObservationConvention.NAME).that().hasBeenStopped());
            assertThat(registry).hasObservationWithNameEqualTo(DefaultAsyncRpcClientObservationConvention.NAME).that()
                .hasLowCardinalityKeyValue("status", "APPLICATION_ERROR")
                .hasError();
        });
    }

    @Test
    void aUserConventionReplacesTheDefault() {
        TestObservationRegistry registry = TestObservationRegistry.create();
        this.runner.withBean(ObservationRegistry.class, () -> registry)
            .withBean(CustomClientConvention.class)
            .run((context) -> {
                context.getBean(Metered.Plain.class).greet("Grace");
                assertThat(registry).hasObservationWithNameEqualTo("custom.client.calls").that()
                    .hasLowCardinalityKeyValue("service", "metered")
                    .hasLowCardinalityKeyValue("team", "payments");
                assertThat(registry).hasNumberOfObservationsWithNameEqualTo(DefaultAsyncRpcClientObservationConvention.NAME, 0);
            });
    }

    @Test
    void backsOffForAUserDefinedObserver() {
        TestObservationRegistry registry = TestObservationRegistry.create();
        ObservationCallObserver user = new ObservationCallObserver(registry);
        this.runner.withBean(ObservationRegistry.class, () -> registry)
            .withBean("userObserver", ObservationCallObserver.class, () -> user)
            .run((context) -> assertThat(context).getBean(ObservationCallObserver.class).isSameAs(user));
    }

    @Test
    void turnedOffByProperty() {
        TestObservationRegistry registry = TestObservationRegistry.create();
        this.runner.withBean(ObservationRegistry.class, () -> registry)
            .withPropertyValues("asyncrpc.observation.enabled=false")
            .run((context) -> {
                assertThat(context).doesNotHaveBean(ObservationCallObserver.class);
                context.getBean(Metered.Plain.class).greet("Edsger");
                assertThat(registry).doesNotHaveAnyObservation();
            });
    }

    @Test
    void turnedOffWithoutAnObservationRegistry() {
        this.runner.run((context) -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(ObservationCallObserver.class);
            assertThat(context.getBean(Metered.Plain.class).greet("Barbara")).isEqualTo("Hello, Barbara");
        });
    }

    @Test
    void turnedOffWhenMicrometerObservationIsMissing() {
        this.runner.withClassLoader(new FilteredClassLoader(ObservationRegistry.class))
            .run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(ObservationCallObserver.class));
    }

    private ObservationRegistry tracingRegistry() {
        io.opentelemetry.api.trace.Tracer otel = this.tracerProvider.get("asyncrpc-tests");
        OtelTracer tracer = new OtelTracer(otel, new OtelCurrentTraceContext(), (event) -> {
        });
        OtelPropagator propagator = new OtelPropagator(ContextPropagators.create(W3CTraceContextPropagator.getInstance()), otel);
        ObservationRegistry registry = ObservationRegistry.create();
        registry.observationConfig().observationHandler(new ObservationHandler.FirstMatchingCompositeObservationHandler(
                new PropagatingSenderTracingObservationHandler<>(tracer, propagator),
                new PropagatingReceiverTracingObservationHandler<>(tracer, propagator), new DefaultTracingObservationHandler(tracer)));
        return registry;
    }

    private static SpanData only(List<SpanData> spans, String name, SpanKind kind) {
        List<SpanData> found = spans.stream().filter((s) -> s.getName().equals(name) && s.getKind() == kind).toList();
        assertThat(found).as("%s spans named %s among %s", kind, name, describe(spans)).hasSize(1);
        return found.get(0);
    }

    private static Set<String> describe(List<SpanData> spans) {
        return spans.stream().map((s) -> s.getKind() + " " + s.getName()).collect(Collectors.toSet());
    }

    /** Renames the caller's observation and adds a tag. */
    static class CustomClientConvention extends DefaultAsyncRpcClientObservationConvention {

        @Override
        public String getName() {
            return "custom.client.calls";
        }

        @Override
        public KeyValues getLowCardinalityKeyValues(AsyncRpcClientObservationContext context) {
            return super.getLowCardinalityKeyValues(context).and("team", "payments");
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportRemoteServices({ Metered.Plain.class, Metered.Async.class })
    static class ImportMetered {

    }

}
