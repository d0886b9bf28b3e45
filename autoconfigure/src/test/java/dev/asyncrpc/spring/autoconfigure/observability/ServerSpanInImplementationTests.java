package dev.asyncrpc.spring.autoconfigure.observability;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.asyncrpc.AsyncRemote;
import dev.asyncrpc.RemoteService;
import dev.asyncrpc.ServerCall;
import dev.asyncrpc.spring.ImportRemoteServices;
import dev.asyncrpc.spring.RemoteEndpoint;
import dev.asyncrpc.spring.autoconfigure.AsyncRpcClientAutoConfiguration;
import dev.asyncrpc.spring.autoconfigure.AsyncRpcServerAutoConfiguration;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With Micrometer Tracing (OpenTelemetry bridge), the server span is current while the
 * implementation runs: the implementation's log lines, which carry the current trace id (as Spring
 * Boot's log correlation does through the MDC), carry the trace id the client sent, for a plain and
 * an asynchronous implementation and where the asynchronous one continues.
 */
@Timeout(60)
class ServerSpanInImplementationTests {

    @RemoteService("traced")
    interface Traced {

        String plain(String text);

        String async(String text);
    }

    @RemoteService("traced")
    interface TracedService {

        String plain(String text);

        @AsyncRemote
        CompletableFuture<String> async(String text);
    }

    @RemoteEndpoint
    static class TracedEndpoint implements TracedService {

        private static final org.slf4j.Logger logger = LoggerFactory.getLogger(TracedEndpoint.class);

        private final Tracer tracer;

        TracedEndpoint(Tracer tracer) {
            this.tracer = tracer;
        }

        /** A log line with the current trace id, as a correlation pattern writes it. */
        private void log(String line) {
            Span span = this.tracer.currentSpan();
            logger.info("{} traceId={}", line, (span != null) ? span.context().traceId() : "none");
        }

        @Override
        public String plain(String text) {
            log("plain " + text);
            return text;
        }

        @Override
        public CompletableFuture<String> async(String text) {
            log("async " + text);
            return CompletableFuture.supplyAsync(() -> {
                log("async continued " + text);
                return text;
            }, ServerCall.current().wrap(CompletableFuture.delayedExecutor(1, TimeUnit.MILLISECONDS)));
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportRemoteServices(Traced.class)
    static class ImportTraced {

    }

    private final SdkTracerProvider tracerProvider = SdkTracerProvider.builder().build();

    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

    private final Logger endpointLogger = (Logger) LoggerFactory.getLogger(TracedEndpoint.class);

    @BeforeEach
    void captureLogLines() {
        this.lines.start();
        this.endpointLogger.addAppender(this.lines);
    }

    @AfterEach
    void stop() {
        this.endpointLogger.detachAppender(this.lines);
        this.tracerProvider.close();
    }

    @Test
    void theImplementationsLogLinesCarryTheTraceIdTheClientSent() {
        io.opentelemetry.api.trace.Tracer otel = this.tracerProvider.get("asyncrpc-tests");
        OtelTracer tracer = new OtelTracer(otel, new OtelCurrentTraceContext(), (event) -> {
        });
        OtelPropagator propagator = new OtelPropagator(ContextPropagators.create(W3CTraceContextPropagator.getInstance()), otel);
        ObservationRegistry registry = ObservationRegistry.create();
        registry.observationConfig().observationHandler(new ObservationHandler.FirstMatchingCompositeObservationHandler(
                new PropagatingSenderTracingObservationHandler<>(tracer, propagator),
                new PropagatingReceiverTracingObservationHandler<>(tracer, propagator), new DefaultTracingObservationHandler(tracer)));
        new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AsyncRpcServerAutoConfiguration.class, AsyncRpcClientAutoConfiguration.class,
                    AsyncRpcObservationAutoConfiguration.class))
            .withBean(TracedEndpoint.class, () -> new TracedEndpoint(tracer))
            .withBean(ObservationRegistry.class, () -> registry)
            .withUserConfiguration(ImportTraced.class)
            .withPropertyValues("asyncrpc.server.port=0", "asyncrpc.server.address=127.0.0.1",
                    "asyncrpc.client.services.traced.address=${local.asyncrpc.server.address}")
            .run((context) -> {
                Traced traced = context.getBean(Traced.class);
                Observation request = Observation.start("test.request", registry);
                String traceId;
                try (Observation.Scope scope = request.openScope()) {
                    traceId = tracer.currentSpan().context().traceId();
                    assertThat(traced.plain("a")).isEqualTo("a");
                    assertThat(traced.async("b")).isEqualTo("b");
                }
                finally {
                    request.stop();
                }
                List<String> logged = new CopyOnWriteArrayList<>();
                for (ILoggingEvent line : this.lines.list) {
                    logged.add(line.getFormattedMessage());
                }
                assertThat(traceId).hasSize(32);
                assertThat(logged).containsExactly("plain a traceId=" + traceId, "async b traceId=" + traceId,
                        "async continued b traceId=" + traceId);
            });
    }
}
