package dev.asyncrpc.benchmarks;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where one streaming system's time goes, per thread, on Linux: one warm-up transfer, then two
 * measured transfers of {@code bytes} in {@code chunk}-byte chunks; reads {@code /proc/self/task/*}
 * before and after and prints, per group of threads (named alike, trailing digits dropped; the
 * caller's main thread is {@code java}), CPU ms per GiB and voluntary context switches per 64 KiB.
 *
 * <pre>
 * java -cp ... dev.asyncrpc.benchmarks.StreamThreadCost system=asyncrpc chunk=65536 bytes=2g
 * </pre>
 */
public final class StreamThreadCost {

    private StreamThreadCost() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> v = new TreeMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("argument '" + a + "' (expected: key=value, keys: system chunk bytes)");
            }
            v.put(a.substring(0, eq), a.substring(eq + 1));
        }
        String system = v.getOrDefault("system", "asyncrpc");
        int chunk = (int) StreamBenchmark.Config.size("chunk", v.getOrDefault("chunk", "65536"));
        long bytes = StreamBenchmark.Config.size("bytes", v.getOrDefault("bytes", "2g"));
        Duration timeout = Duration.ofSeconds(120);
        try (StreamDriver d = StreamBenchmark.driver(system)) {
            d.start();
            byte[] data = StreamBenchmark.chunk(chunk);
            StreamBenchmark.measure(d, data, Math.min(bytes, 1L << 30), timeout);
            Map<String, long[]> before = sample();
            double r1 = StreamBenchmark.measure(d, data, bytes, timeout);
            double r2 = StreamBenchmark.measure(d, data, bytes, timeout);
            Map<String, long[]> after = sample();
            double gib = 2.0 * bytes / (1L << 30);
            System.out.printf("%s, %d-byte chunks: %,.0f and %,.0f MiB/s%n", system, chunk, r1, r2);
            System.out.printf("%-20s %12s %20s%n", "threads", "cpu ms/GiB", "vol cs per 64 KiB");
            for (Map.Entry<String, long[]> e : after.entrySet()) {
                long[] b = before.getOrDefault(e.getKey(), new long[2]);
                long ticks = e.getValue()[0] - b[0];
                long vol = e.getValue()[1] - b[1];
                if (ticks > 0 || vol > gib) {
                    System.out.printf("%-20s %12.0f %20.3f%n", e.getKey(), ticks * 10 / gib, vol / (gib * 16384));
                }
            }
        }
    }

    /** Per thread-name group: CPU ticks (USER_HZ = 100) and voluntary context switches. */
    private static Map<String, long[]> sample() throws IOException {
        Map<String, long[]> m = new TreeMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path t : tasks) {
                try {
                    String name = Files.readString(t.resolve("comm")).trim().replaceAll("-?\\d+$", "");
                    String stat = Files.readString(t.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
                    long vol = 0;
                    for (String line : Files.readAllLines(t.resolve("status"))) {
                        if (line.startsWith("voluntary_ctxt_switches:")) {
                            vol = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                        }
                    }
                    long[] acc = m.computeIfAbsent(name, k -> new long[2]);
                    acc[0] += ticks;
                    acc[1] += vol;
                }
                catch (IOException | RuntimeException ex) {
                    // the thread ended meanwhile
                }
            }
        }
        return m;
    }
}
