package dev.asyncrpc.test;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@link HostileServerMain} in its own JVM ({@code -Xmx256m}, Netty leak detection paranoid), seen
 * from the test: its port, its output (standard output and error together) watched for {@code LEAK:}
 * and {@code OutOfMemoryError}, and its figures on demand ({@link #stats()}).
 */
public final class ForkedServer implements AutoCloseable {

    /**
     * Extra options for the server's JVM, separated by spaces, for measuring an attack (for example
     * {@code -Dasyncrpc.hostile.server-jvm-options="-Xlog:gc:file=gc.log -XX:StartFlightRecording=filename=server.jfr"}).
     */
    public static final String JVM_OPTIONS = "asyncrpc.hostile.server-jvm-options";

    /** The lines kept for a failure message; the watch for leaks and OOM sees every line. */
    private static final int KEPT_LINES = 2_000;

    private final Process process;
    private final OutputStream commands;
    private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();
    private final List<String> kept = Collections.synchronizedList(new ArrayList<>());
    private final List<String> alarms = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger lines = new AtomicInteger();
    private final int port;

    public ForkedServer(String maxHeap) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        List<String> command = new ArrayList<>(List.of(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java",
                "-Xmx" + maxHeap, "-XX:+UseG1GC", "-Dio.netty.leakDetection.level=paranoid", "-Dio.netty.leakDetectionLevel=paranoid"));
        String extra = System.getProperty(JVM_OPTIONS, "").trim();
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.split("\\s+")));
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), HostileServerMain.class.getName()));
        this.process = new ProcessBuilder(command).redirectErrorStream(true).start();
        this.commands = this.process.getOutputStream();
        Thread reader = new Thread(this::readOutput, "forked-server-output");
        reader.setDaemon(true);
        reader.start();
        this.port = Integer.parseInt(await("PORT ", 60).substring(5).trim());
        System.out.printf("forked server on port %d in %d ms%n", this.port, (System.nanoTime() - t0) / 1_000_000);
    }

    private void readOutput() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                this.lines.incrementAndGet();
                if (line.contains("LEAK:") || line.contains("OutOfMemoryError")) {
                    this.alarms.add(line.length() > 2_000 ? line.substring(0, 2_000) + "..." : line);
                }
                if (this.kept.size() < KEPT_LINES) {
                    this.kept.add(line);
                }
                if (line.startsWith("PORT ") || line.startsWith("STATS ") || line.startsWith("LEAKS ")) {
                    this.replies.add(line);
                }
            }
        }
        catch (IOException ex) {
            // the process ended
        }
    }

    private String await(String prefix, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            String line = this.replies.poll(100, TimeUnit.MILLISECONDS);
            if (line != null && line.startsWith(prefix)) {
                return line;
            }
            if (line == null && !this.process.isAlive()) {
                break;
            }
        }
        throw new AssertionError("no '" + prefix + "' line from the forked server within " + seconds + " s (alive: "
                + this.process.isAlive() + "); output: " + output());
    }

    private String command(String command, String replyPrefix) throws IOException, InterruptedException {
        synchronized (this.commands) {
            this.commands.write((command + "\n").getBytes(StandardCharsets.US_ASCII));
            this.commands.flush();
            return await(replyPrefix, 60);
        }
    }

    public int port() {
        return this.port;
    }

    public String address() {
        return "127.0.0.1:" + this.port;
    }

    /** The server's figures after a full garbage collection. */
    public Stats stats() throws IOException, InterruptedException {
        return Stats.parse(command("STATS", "STATS "));
    }

    /** Collect garbage in the server and let its leak detector report: {@link #alarms()} then holds any leak. */
    public void checkLeaks() throws IOException, InterruptedException {
        command("LEAKS", "LEAKS ");
    }

    /** The output lines that report a buffer leak or an {@link OutOfMemoryError}. */
    public List<String> alarms() {
        synchronized (this.alarms) {
            return new ArrayList<>(this.alarms);
        }
    }

    public boolean isAlive() {
        return this.process.isAlive();
    }

    /** The first lines of the server's output, for failure messages. */
    public String output() {
        synchronized (this.kept) {
            return this.lines.get() + " lines: " + String.join("\n", this.kept.subList(0, Math.min(200, this.kept.size())));
        }
    }

    @Override
    public void close() throws Exception {
        long t0 = System.nanoTime();
        try {
            this.commands.close(); // the server exits when its input ends
            if (!this.process.waitFor(20, TimeUnit.SECONDS)) {
                this.process.destroyForcibly();
            }
        }
        catch (IOException ex) {
            this.process.destroyForcibly();
        }
        System.out.printf("forked server ended in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    }

    /** One {@code STATS} line. Memory in bytes. */
    public record Stats(long heap, long allocatorDirect, long nioDirect, int threads, int fds, int calls, int connections, int pipes,
            long stallMillis, long maxDirect, long peakHeap, long maxLiveAfterGc, long peakDirect, String line) {

        static Stats parse(String line) {
            return new Stats(figure(line, "heap"), figure(line, "allocatorDirect"), figure(line, "nioDirect"), (int) figure(line, "threads"),
                    (int) figure(line, "fds"), (int) figure(line, "calls"), (int) figure(line, "connections"), (int) figure(line, "pipes"),
                    figure(line, "stallMillis"), figure(line, "maxDirect"), figure(line, "PEAK_HEAP"), figure(line, "MAX_LIVE_AFTER_GC"), figure(line, "PEAK_DIRECT"), line);
        }

        private static long figure(String line, String name) {
            Matcher m = Pattern.compile("(?:^| )" + name + " (-?\\d+)").matcher(line);
            if (!m.find()) {
                throw new AssertionError("no " + name + " in " + line);
            }
            return Long.parseLong(m.group(1));
        }

        public static String mib(long bytes) {
            return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
        }

        @Override
        public String toString() {
            return "heap " + mib(this.heap) + ", direct " + mib(this.allocatorDirect) + " (allocator) " + mib(this.nioDirect) + " (NIO), threads "
                    + this.threads + ", fds " + this.fds + ", calls " + this.calls + ", connections " + this.connections + ", pipes " + this.pipes
                    + ", longest oversleep " + this.stallMillis + " ms; peak heap " + mib(this.peakHeap) + ", max live after GC " + mib(this.maxLiveAfterGc) + ", peak direct " + mib(this.peakDirect);
        }
    }
}
