package dev.asyncrpc.spring.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.asyncrpc.AsyncCall;
import dev.asyncrpc.AsyncRpcServer;
import dev.asyncrpc.InPipe;
import dev.asyncrpc.OutPipe;
import dev.asyncrpc.PipeInfo;
import dev.asyncrpc.spring.ImportRemoteServices;
import dev.asyncrpc.spring.autoconfigure.pipes.TransferAsync;
import dev.asyncrpc.spring.autoconfigure.pipes.TransferEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code asyncrpc.server.pipe-window} and {@code asyncrpc.client.*.pipe-window} reach the pipes. */
@Timeout(60)
class PipeWindowTests {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AsyncRpcServerAutoConfiguration.class, AsyncRpcClientAutoConfiguration.class))
        .withUserConfiguration(ImportTransfer.class)
        .withPropertyValues("asyncrpc.server.port=0", "asyncrpc.server.address=127.0.0.1",
                "asyncrpc.client.services.transfer.address=${local.asyncrpc.server.address}");

    @Test
    void defaultsAreOneMegabyte() {
        this.runner.withBean(TransferEndpoint.class).run((context) -> {
            assertThat(context.getBean(AsyncRpcServerProperties.class).getPipeWindow()).isEqualTo(DataSize.ofMegabytes(1));
            AsyncRpcClientProperties client = context.getBean(AsyncRpcClientProperties.class);
            assertThat(client.getDefaults().getPipeWindow()).isEqualTo(DataSize.ofMegabytes(1));
            assertThat(client.getServices().get("transfer").getPipeWindow()).isNull();
        });
    }

    @Test
    void serverPipeWindowIsTheWindowOfTheInPipesItReceives() {
        TransferEndpoint endpoint = new TransferEndpoint().paced();
        this.runner.withBean(TransferEndpoint.class, () -> endpoint)
            .withPropertyValues("asyncrpc.server.pipe-window=64KB")
            .run((context) -> {
                AsyncRpcServer server = context.getBean(AsyncRpcServerLifecycle.class).getServer();
                InPipe<byte[]> data = InPipe.create();
                CompletableFuture<Long> upload = context.getBean(TransferAsync.class).upload(data);
                for (int i = 0; i < 16; i++) {
                    data.push(new byte[16 * 1024]);
                }
                data.close();
                endpoint.allow(1);
                assertThat(endpoint.uploading.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
                List<PipeInfo> serverPipes = server.openPipes();
                List<PipeInfo> clientPipes = context.getBean(AsyncRpcClients.class).clients().get("transfer").openPipes();
                endpoint.allow(16);
                assertThat(upload.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(16 * 16 * 1024);
                assertThat(serverPipes).singleElement().satisfies((pipe) -> {
                    assertThat(pipe.direction()).isEqualTo(PipeInfo.Direction.IN);
                    assertThat(pipe.sending()).isFalse();
                    assertThat(pipe.window()).isEqualTo(64 * 1024);
                });
                assertThat(clientPipes).singleElement().satisfies((pipe) -> {
                    assertThat(pipe.sending()).isTrue();
                    assertThat(pipe.window()).isEqualTo(64 * 1024);
                    assertThat(pipe.unacknowledgedBytes()).isLessThanOrEqualTo(64 * 1024);
                });
            });
    }

    @Test
    void clientPipeWindowOfAServiceOverridesTheDefaultForTheOutPipesItReceives() {
        TransferEndpoint endpoint = new TransferEndpoint().gated();
        this.runner.withBean(TransferEndpoint.class, () -> endpoint)
            .withPropertyValues("asyncrpc.client.defaults.pipe-window=256KB", "asyncrpc.client.services.transfer.pipe-window=32KB")
            .run((context) -> {
                AsyncRpcServer server = context.getBean(AsyncRpcServerLifecycle.class).getServer();
                OutPipe<byte[]> data = OutPipe.create();
                AsyncCall<Void> download = context.getBean(TransferAsync.class).download(8, 4096, data);
                CompletableFuture<List<byte[]>> received = CompletableFuture.supplyAsync(() -> {
                    List<byte[]> all = new ArrayList<>();
                    data.forEach(all::add);
                    return all;
                }, (task) -> new Thread(task, "download-reader").start());
                assertThat(endpoint.downloading.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
                List<PipeInfo> serverPipes = server.openPipes();
                List<PipeInfo> clientPipes = context.getBean(AsyncRpcClients.class).clients().get("transfer").openPipes();
                endpoint.openGate();
                download.join(WAIT);
                assertThat(received.get(WAIT.toSeconds(), TimeUnit.SECONDS)).hasSize(8);
                assertThat(clientPipes).singleElement().satisfies((pipe) -> {
                    assertThat(pipe.direction()).isEqualTo(PipeInfo.Direction.OUT);
                    assertThat(pipe.sending()).isFalse();
                    assertThat(pipe.window()).isEqualTo(32 * 1024);
                });
                assertThat(serverPipes).singleElement().satisfies((pipe) -> assertThat(pipe.window()).isEqualTo(32 * 1024));
            });
    }

    @Test
    void aPipeWindowBelowOneKilobyteFailsNamingTheProperty() {
        this.runner.withBean(TransferEndpoint.class)
            .withPropertyValues("asyncrpc.client.services.transfer.pipe-window=512B")
            .run((context) -> {
                assertThat(context).hasFailed();
                assertThat(Failures.messages(context.getStartupFailure()))
                    .contains("asyncrpc.client.services.<name>.pipe-window: 512B (expected: between 1KB and 2047MB)");
            });
        this.runner.withBean(TransferEndpoint.class)
            .withPropertyValues("asyncrpc.server.pipe-window=-1KB")
            .run((context) -> assertThat(Failures.messages(context.getStartupFailure())).contains("asyncrpc.server.pipe-window"));
    }

    @Configuration(proxyBeanMethods = false)
    @ImportRemoteServices(TransferAsync.class)
    static class ImportTransfer {

    }
}
