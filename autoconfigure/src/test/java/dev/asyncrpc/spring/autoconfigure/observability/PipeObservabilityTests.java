package dev.asyncrpc.spring.autoconfigure.observability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.asyncrpc.AsyncCall;
import dev.asyncrpc.AsyncRpcClient;
import dev.asyncrpc.AsyncRpcServer;
import dev.asyncrpc.InPipe;
import dev.asyncrpc.OutPipe;
import dev.asyncrpc.PipeInfo;
import dev.asyncrpc.PipeTotals;
import dev.asyncrpc.spring.ImportRemoteServices;
import dev.asyncrpc.spring.autoconfigure.AsyncRpcClients;
import dev.asyncrpc.spring.autoconfigure.AsyncRpcServerLifecycle;
import dev.asyncrpc.spring.autoconfigure.AsyncRpcClientAutoConfiguration;
import dev.asyncrpc.spring.autoconfigure.AsyncRpcServerAutoConfiguration;
import dev.asyncrpc.spring.autoconfigure.observability.AsyncRpcEndpoint.AsyncRpcDescriptor;
import dev.asyncrpc.spring.autoconfigure.observability.AsyncRpcEndpoint.ClientDescriptor;
import dev.asyncrpc.spring.autoconfigure.observability.AsyncRpcEndpoint.OperationDescriptor;
import dev.asyncrpc.spring.autoconfigure.observability.AsyncRpcEndpoint.PipeDescriptor;
import dev.asyncrpc.spring.autoconfigure.pipes.TransferAsync;
import dev.asyncrpc.spring.autoconfigure.pipes.TransferEndpoint;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Pipes in the {@code asyncrpc} endpoint and in the metrics, during a slow upload: the server's
 * implementation reads one element per permit the test gives, with a 64KB window, so the transfer
 * advances only as the test lets it.
 */
@Timeout(60)
class PipeObservabilityTests {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private static final int CHUNK = 16 * 1024;

    private static final int CHUNKS = 48;

    /**
     * Elements the implementation may read per step. A 64KB window holds 3 chunks and credit goes back
     * per 2 consumed (half the window); the blocking iterator pulls everything buffered when it runs
     * dry, so up to 3 chunks read in a step may come from an earlier pull and consume nothing new.
     * With 4 per step, a step could pull a single chunk and return no credit, and the byte counts
     * then stood still (seen once in CI); 6 reads pull at least 3 chunks, so every step returns
     * credit and the client sends more. 5 steps read at most 30 chunks and the server then holds at
     * most 36 (3 pulled ahead, 3 in the window), so the client still has chunks to send at every step.
     */
    private static final int READS_PER_STEP = 6;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
                SimpleMetricsExportAutoConfiguration.class, AsyncRpcServerAutoConfiguration.class, AsyncRpcClientAutoConfiguration.class,
                AsyncRpcMetricsAutoConfiguration.class, AsyncRpcEndpointAutoConfiguration.class))
        .withUserConfiguration(ImportTransfer.class)
        .withPropertyValues("asyncrpc.server.port=0", "asyncrpc.server.address=127.0.0.1", "asyncrpc.server.pipe-window=64KB",
                "asyncrpc.client.services.transfer.address=${local.asyncrpc.server.address}",
                "management.endpoints.web.exposure.include=asyncrpc");

    @Test
    void operationsSayWhichPipesTheyTake() {
        this.runner.withBean(TransferEndpoint.class).run((context) -> {
            AsyncRpcDescriptor descriptor = context.getBean(AsyncRpcEndpoint.class).asyncrpc();
            assertThat(descriptor.server().services()).singleElement().satisfies((service) -> assertThat(service.operations())
                .containsExactlyInAnyOrder(new OperationDescriptor("upload", false, List.of(PipeInfo.Direction.IN)),
                        new OperationDescriptor("download", false, List.of(PipeInfo.Direction.OUT))));
            assertThat(descriptor.server().openPipes()).isEmpty();
            assertThat(descriptor.clients().get("transfer").openPipes()).isEmpty();
        });
    }

    @Test
    void duringASlowUploadTheEndpointShowsThePendingCallAndItsPipeWithGrowingByteCounts() {
        TransferEndpoint transfer = new TransferEndpoint().paced();
        this.runner.withBean(TransferEndpoint.class, () -> transfer).run((context) -> {
            AsyncRpcEndpoint endpoint = context.getBean(AsyncRpcEndpoint.class);
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            InPipe<byte[]> data = InPipe.create();
            CompletableFuture<Long> upload = context.getBean(TransferAsync.class).upload(data);
            for (int i = 0; i < CHUNKS; i++) {
                data.push(new byte[CHUNK]);
            }
            data.close();

            List<Long> serverBytes = new ArrayList<>();
            List<Long> clientBytes = new ArrayList<>();
            long last = 0; // the first step waits for data too, not just for the pipe to be listed
            for (int step = 0; step < 5; step++) {
                transfer.allow(READS_PER_STEP);
                long previous = last;
                // the implementation read more elements, credit went back, the client sent more
                AsyncRpcDescriptor during = await().atMost(WAIT).until(endpoint::asyncrpc,
                        (d) -> d.server().openPipes().size() == 1 && d.server().openPipes().get(0).bytes() > previous);
                PipeDescriptor serverPipe = during.server().openPipes().get(0);
                assertThat(serverPipe.operation()).isEqualTo("transfer/upload");
                assertThat(serverPipe.direction()).isEqualTo(PipeInfo.Direction.IN);
                assertThat(serverPipe.sending()).isFalse();
                assertThat(serverPipe.window()).isEqualTo(64 * 1024);
                assertThat(serverPipe.elements()).isPositive();
                assertThat(serverPipe.stalledMillis()).isZero();
                ClientDescriptor client = during.clients().get("transfer");
                assertThat(client.pending()).singleElement().satisfies((call) -> {
                    assertThat(call.service()).isEqualTo("transfer");
                    assertThat(call.method()).isEqualTo("upload");
                });
                assertThat(client.openPipes()).singleElement().satisfies((pipe) -> {
                    assertThat(pipe.operation()).isEqualTo("transfer/upload");
                    assertThat(pipe.direction()).isEqualTo(PipeInfo.Direction.IN);
                    assertThat(pipe.sending()).isTrue();
                    assertThat(pipe.window()).isEqualTo(64 * 1024);
                    assertThat(pipe.unacknowledgedBytes()).isLessThanOrEqualTo(64 * 1024);
                    clientBytes.add(pipe.bytes());
                });
                last = serverPipe.bytes();
                serverBytes.add(last);

                assertThat(gauge(registry, "asyncrpc.server.pipes.open", "direction", "in")).isEqualTo(1);
                assertThat(gauge(registry, "asyncrpc.server.pipes.open", "direction", "out")).isZero();
                assertThat(gauge(registry, "asyncrpc.server.pipes.bytes", "direction", "in")).isGreaterThanOrEqualTo(last);
                assertThat(gauge(registry, "asyncrpc.server.pipes.elements", "direction", "in")).isPositive();
                assertThat(registry.get("asyncrpc.client.pipes.open").tag("service", "transfer").tag("direction", "in").gauge().value())
                    .isEqualTo(1);
                assertThat(registry.get("asyncrpc.client.pipes.bytes").tag("service", "transfer").tag("direction", "in").gauge().value())
                    .isPositive();
                assertThat(registry.get("asyncrpc.client.pipes.stalled").tag("service", "transfer").tag("direction", "in").timeGauge()
                    .value(TimeUnit.NANOSECONDS)).isNotNegative();
            }
            System.out.printf("slow upload through a 64KB window: server pipe bytes %s, client pipe bytes %s%n", serverBytes, clientBytes);
            assertThat(serverBytes).isSorted().doesNotHaveDuplicates();
            assertThat(clientBytes).isSorted();

            transfer.allow(CHUNKS + 1);
            assertThat(upload.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo((long) CHUNKS * CHUNK);
            await().atMost(WAIT).untilAsserted(() -> {
                AsyncRpcDescriptor after = endpoint.asyncrpc();
                assertThat(after.server().openPipes()).isEmpty();
                assertThat(after.server().activeCalls()).isZero();
                assertThat(after.clients().get("transfer").pending()).isEmpty();
                assertThat(after.clients().get("transfer").openPipes()).isEmpty();
            });
            assertThat(gauge(registry, "asyncrpc.server.pipes.open", "direction", "in")).isZero();
            assertThat(gauge(registry, "asyncrpc.server.pipes.bytes", "direction", "in")).isZero();
            assertThat(registry.get("asyncrpc.client.pipes.open").tag("service", "transfer").tag("direction", "in").gauge().value()).isZero();
        });
    }

    @Test
    void afterFinishedPipeCallsThePipeCountersHoldTheElementsAndBytesTransferred() throws Exception {
        this.runner.withBean(TransferEndpoint.class).run((context) -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            TransferAsync transfer = context.getBean(TransferAsync.class);
            InPipe<byte[]> data = InPipe.create();
            CompletableFuture<Long> upload = transfer.upload(data);
            for (int i = 0; i < CHUNKS; i++) {
                data.push(new byte[CHUNK]);
            }
            data.close();
            assertThat(upload.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo((long) CHUNKS * CHUNK);
            OutPipe<byte[]> down = OutPipe.create();
            AsyncCall<Void> download = transfer.download(7, 1000, down);
            long downloaded = 0;
            int chunks = 0;
            for (byte[] chunk : down) {
                downloaded += chunk.length;
                chunks++;
            }
            download.join(WAIT);
            assertThat(chunks).isEqualTo(7);
            assertThat(downloaded).isEqualTo(7000);
            AsyncRpcServer server = context.getBean(AsyncRpcServerLifecycle.class).getServer();
            AsyncRpcClient client = context.getBean(AsyncRpcClients.class).clients().get("transfer");
            await().atMost(WAIT).until(() -> server.openPipes().isEmpty() && client.openPipes().isEmpty());

            // the pipes have ended: the gauges read zero, the counters keep what went through
            assertThat(gauge(registry, "asyncrpc.server.pipes.bytes", "direction", "in")).isZero();
            PipeTotals serverTotals = server.pipeTotals();
            PipeTotals clientTotals = client.pipeTotals();
            assertThat(counter(registry, "asyncrpc.server.pipe.elements", "direction", "in")).isEqualTo(CHUNKS);
            assertThat(counter(registry, "asyncrpc.server.pipe.elements", "direction", "out")).isEqualTo(7);
            assertThat(counter(registry, "asyncrpc.server.pipe.bytes", "direction", "in")).isEqualTo(serverTotals.inBytes())
                .isGreaterThanOrEqualTo(CHUNKS * CHUNK);
            assertThat(counter(registry, "asyncrpc.server.pipe.bytes", "direction", "out")).isEqualTo(serverTotals.outBytes())
                .isGreaterThanOrEqualTo(7000);
            assertThat(registry.get("asyncrpc.server.pipes.opened").functionCounter().count()).isEqualTo(2);
            assertThat(registry.get("asyncrpc.server.pipe.stalled").functionCounter().count()).isNotNegative();
            assertThat(clientCounter(registry, "asyncrpc.client.pipe.elements", "in")).isEqualTo(CHUNKS);
            assertThat(clientCounter(registry, "asyncrpc.client.pipe.elements", "out")).isEqualTo(7);
            assertThat(clientCounter(registry, "asyncrpc.client.pipe.bytes", "in")).isEqualTo(clientTotals.inBytes())
                .isEqualTo(serverTotals.inBytes());
            assertThat(clientCounter(registry, "asyncrpc.client.pipe.bytes", "out")).isEqualTo(clientTotals.outBytes())
                .isEqualTo(serverTotals.outBytes());
            assertThat(registry.get("asyncrpc.client.pipes.opened").tag("service", "transfer").functionCounter().count()).isEqualTo(2);
            assertThat(registry.get("asyncrpc.client.pipe.stalled").tag("service", "transfer").functionCounter().count()).isNotNegative();
        });
    }

    private static double counter(MeterRegistry registry, String name, String tag, String value) {
        return registry.get(name).tag(tag, value).functionCounter().count();
    }

    private static double clientCounter(MeterRegistry registry, String name, String direction) {
        return registry.get(name).tag("service", "transfer").tag("direction", direction).functionCounter().count();
    }

    private static double gauge(MeterRegistry registry, String name, String tag, String value) {
        return registry.get(name).tag(tag, value).gauge().value();
    }

    @Configuration(proxyBeanMethods = false)
    @ImportRemoteServices(TransferAsync.class)
    static class ImportTransfer {

    }
}
