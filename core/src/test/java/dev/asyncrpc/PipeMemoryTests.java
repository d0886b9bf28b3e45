package dev.asyncrpc;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.asyncrpc.test.Bulk;
import dev.asyncrpc.test.BulkAsync;
import dev.asyncrpc.test.BulkClientMain;
import dev.asyncrpc.test.BulkEndpoint;
import dev.asyncrpc.test.BulkServerMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Memory stays bounded by the pipe windows whatever the size of a transfer: 1 GiB through an
 * in-pipe and 1 GiB through an out-pipe (twice), in 64 KiB {@code byte[]} chunks, with the caller and the
 * implementer each in its own JVM capped at {@code -Xmx128m}. Also: killing the implementer's
 * process mid-transfer fails the caller's pipe and call with UNAVAILABLE, without a hang. And the
 * same bound over TLS: 256 MiB each way.
 */
class PipeMemoryTests {

    static final long GIB = 1L << 30;
    static final int CHUNK = 64 * 1024;
    static final long CAP = 128L << 20;

    /** A forked JVM whose output lines are collected as they come. */
    static final class Child implements AutoCloseable {
        final Process process;
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        final List<String> all = Collections.synchronizedList(new ArrayList<>());

        Child(Class<?> main, String... args) throws IOException {
            List<String> command = new ArrayList<>(List.of(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java",
                    "-Xmx128m", "-cp", System.getProperty("java.class.path"), main.getName()));
            command.addAll(List.of(args));
            this.process = new ProcessBuilder(command).redirectErrorStream(true).start();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        this.all.add(line);
                        this.lines.add(line);
                    }
                }
                catch (IOException ex) {
                    // the process ended
                }
            }, "child-output-" + main.getSimpleName());
            reader.setDaemon(true);
            reader.start();
        }

        /** The next line starting with {@code prefix}, waiting at most {@code seconds}. */
        String await(String prefix, long seconds) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (System.nanoTime() < deadline) {
                String line = this.lines.poll(100, TimeUnit.MILLISECONDS);
                if (line != null && line.startsWith(prefix)) {
                    return line;
                }
            }
            throw new AssertionError("no '" + prefix + "' line within " + seconds + " s; output: " + this.all);
        }

        @Override
        public void close() {
            this.process.destroyForcibly();
        }
    }

    static long figure(String line, String name) {
        Matcher m = Pattern.compile(name + " (\\d+)").matcher(line);
        assertThat(m.find()).as(name + " in " + line).isTrue();
        return Long.parseLong(m.group(1));
    }

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void gibibyteEachWayWithCallerAndImplementerEachCappedAt128MiB() throws Exception {
        try (Child server = new Child(BulkServerMain.class)) {
            int port = Integer.parseInt(server.await("PORT ", 60).substring(5).trim());
            // two rounds: the second is measured with a warm JIT
            try (Child client = new Child(BulkClientMain.class, "127.0.0.1:" + port, Long.toString(GIB), Integer.toString(CHUNK), "2")) {
                client.await("IN_MIBS ", 360);
                String rates = client.await("IN_MIBS ", 360);
                String clientMemory = client.await("PEAK_HEAP ", 60);
                assertThat(client.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(client.process.exitValue()).as("caller exit code; output: %s", client.all).isZero();
                server.process.getOutputStream().close();
                String serverMemory = server.await("PEAK_HEAP ", 60);
                assertThat(server.process.waitFor(60, TimeUnit.SECONDS)).isTrue();

                for (Map.Entry<String, String> side : Map.of("caller", clientMemory, "implementer", serverMemory).entrySet()) {
                    String line = side.getValue();
                    assertThat(figure(line, "MAX_HEAP")).as(side.getKey() + " max heap").isLessThanOrEqualTo(CAP);
                    assertThat(figure(line, "PEAK_HEAP")).as(side.getKey() + " peak heap").isLessThan(CAP);
                    assertThat(figure(line, "MAX_LIVE_AFTER_GC")).as(side.getKey() + " live heap after GC").isLessThan(32L << 20);
                    assertThat(figure(line, "PEAK_DIRECT")).as(side.getKey() + " direct memory of the allocator").isLessThan(64L << 20);
                }
                System.out.println("1 GiB each way, 64 KiB chunks, -Xmx128m, second round: " + rates);
                System.out.println("caller:      " + clientMemory);
                System.out.println("implementer: " + serverMemory);
            }
        }
    }

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void quarterGibibyteEachWayOverTlsWithCallerAndImplementerEachCappedAt128MiB() throws Exception {
        dev.asyncrpc.test.TestCertificates certs = dev.asyncrpc.test.TestCertificates.create();
        String dir = certs.directory().toString();
        try (Child server = new Child(BulkServerMain.class, dir)) {
            int port = Integer.parseInt(server.await("PORT ", 60).substring(5).trim());
            try (Child client = new Child(BulkClientMain.class, "127.0.0.1:" + port, Long.toString(GIB / 4), Integer.toString(CHUNK), "1", dir)) {
                String rates = client.await("IN_MIBS ", 300);
                String clientMemory = client.await("PEAK_HEAP ", 60);
                assertThat(client.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(client.process.exitValue()).as("caller exit code; output: %s", client.all).isZero();
                server.process.getOutputStream().close();
                String serverMemory = server.await("PEAK_HEAP ", 60);
                assertThat(server.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
                for (Map.Entry<String, String> side : Map.of("caller", clientMemory, "implementer", serverMemory).entrySet()) {
                    String line = side.getValue();
                    assertThat(figure(line, "PEAK_HEAP")).as(side.getKey() + " peak heap").isLessThan(CAP);
                    assertThat(figure(line, "MAX_LIVE_AFTER_GC")).as(side.getKey() + " live heap after GC").isLessThan(32L << 20);
                    assertThat(figure(line, "PEAK_DIRECT")).as(side.getKey() + " direct memory of the allocator").isLessThan(64L << 20);
                }
                System.out.println("256 MiB each way over TLS, 64 KiB chunks, -Xmx128m: " + rates);
                System.out.println("caller:      " + clientMemory);
                System.out.println("implementer: " + serverMemory);
            }
        }
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void killingTheImplementersProcessMidTransferFailsThePipesWithUnavailable() throws Exception {
        try (Child server = new Child(BulkServerMain.class);
                AsyncRpcClient client = AsyncRpcClient.builder().address("127.0.0.1:" + server.await("PORT ", 60).substring(5).trim()).build()) {
            InPipe<byte[]> chunks = InPipe.create();
            CompletableFuture<Bulk.Digest> call = client.proxy(BulkAsync.class).upload(chunks);
            CompletableFuture<Long> pusher = CompletableFuture.supplyAsync(() -> BulkEndpoint.pushAll(chunks::push, Long.MAX_VALUE / 2, CHUNK));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (client.openPipes().stream().mapToLong(PipeInfo::bytes).sum() < (64L << 20) && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(client.openPipes()).singleElement().satisfies(p -> assertThat(p.bytes()).isGreaterThanOrEqualTo(64L << 20));
            server.process.destroyForcibly();
            Throwable callFailure = org.assertj.core.api.Assertions.catchThrowable(() -> call.get(10, TimeUnit.SECONDS));
            assertThat(callFailure.getCause()).isInstanceOfSatisfying(RemoteCallException.class,
                    ex -> assertThat(ex.status()).isEqualTo(Status.UNAVAILABLE));
            Throwable pushFailure = org.assertj.core.api.Assertions.catchThrowable(() -> pusher.get(10, TimeUnit.SECONDS));
            Throwable root = pushFailure;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            assertThat(root).isInstanceOfSatisfying(RemoteCallException.class, ex -> assertThat(ex.status()).isEqualTo(Status.UNAVAILABLE));
            assertThat(client.openPipes()).isEmpty();
        }
    }
}
