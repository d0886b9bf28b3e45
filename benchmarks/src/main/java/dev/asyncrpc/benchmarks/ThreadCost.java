package dev.asyncrpc.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Where one system's time goes, per thread, on Linux: runs one system at one W and reads
 * {@code /proc/self/task/*} before and after, then prints CPU microseconds and context switches
 * per call for each group of threads (threads named alike, such as {@code asyncrpc-client-1} and
 * {@code -2}, are summed). On a 2-core machine thread hand-offs (a park, a wake-up, a context
 * switch) cost as much as the work, so both columns matter.
 *
 * <pre>
 * java -cp ... dev.asyncrpc.benchmarks.ThreadCost system=asyncrpc w=256 warmup=5s measure=5s
 * </pre>
 */
public final class ThreadCost {

    private record Sample(String name, long cpuTicks, long voluntary, long involuntary) {
    }

    private ThreadCost() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> v = new TreeMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("argument '" + a + "' (expected: key=value, keys: system w payload warmup measure)");
            }
            v.put(a.substring(0, eq), a.substring(eq + 1));
        }
        String system = v.getOrDefault("system", "asyncrpc");
        int w = Integer.parseInt(v.getOrDefault("w", "256"));
        UnaryBenchmark.Config c = UnaryBenchmark.Config.from(new String[] { "payload=" + v.getOrDefault("payload", "64"),
                "warmup=" + v.getOrDefault("warmup", "5s"), "measure=" + v.getOrDefault("measure", "5s") });
        long ticksPerSecond = 100; // USER_HZ on Linux
        try (Driver driver = UnaryBenchmark.driver(system)) {
            driver.start();
            Window window = new Window(driver, new byte[c.payload()]);
            window.run(w, 0, c.warmup().toNanos());
            Map<String, Sample> before = sample();
            Window.Segment s = window.run(w, 0, c.measure().toNanos());
            Map<String, Sample> after = sample();
            Map<String, String> javaNames = javaThreadNames();
            if (window.firstFailure() != null) {
                throw new IllegalStateException("calls failed", window.firstFailure());
            }
            double calls = s.calls();
            System.out.printf("%s W=%d: %,.0f calls/s over %.1f s%n", system, w, s.callsPerSecond(), s.nanos() / 1e9);
            System.out.printf("%-18s %12s %12s %12s%n", "threads", "cpu us/call", "vol cs/call", "invol cs/call");
            Map<String, double[]> groups = new TreeMap<>();
            for (Map.Entry<String, Sample> e : after.entrySet()) {
                Sample a = e.getValue();
                Sample b = before.getOrDefault(e.getKey(), new Sample(a.name(), 0, 0, 0));
                String name = javaNames.getOrDefault(e.getKey(), a.name());
                double[] g = groups.computeIfAbsent(name.replaceAll("\\d+$", "N"), k -> new double[3]);
                g[0] += (a.cpuTicks() - b.cpuTicks()) * 1e6 / ticksPerSecond / calls;
                g[1] += (a.voluntary() - b.voluntary()) / calls;
                g[2] += (a.involuntary() - b.involuntary()) / calls;
            }
            double[] total = new double[3];
            List<Map.Entry<String, double[]>> rows = new ArrayList<>(groups.entrySet());
            rows.sort((x, y) -> Double.compare(y.getValue()[0] + y.getValue()[1], x.getValue()[0] + x.getValue()[1]));
            for (Map.Entry<String, double[]> e : rows) {
                double[] g = e.getValue();
                if (g[0] + g[1] + g[2] < 0.005) {
                    continue;
                }
                System.out.printf("%-18s %12.2f %12.3f %12.3f%n", e.getKey(), g[0], g[1], g[2]);
                for (int i = 0; i < 3; i++) {
                    total[i] += g[i];
                }
            }
            System.out.printf("%-18s %12.2f %12.3f %12.3f%n", "total", total[0], total[1], total[2]);
        }
    }

    /**
     * Native thread id to Java thread name, from {@code jcmd <pid> Thread.print} (the kernel's
     * thread names are cut at 15 characters); empty if jcmd cannot be run.
     */
    private static Map<String, String> javaThreadNames() {
        Map<String, String> names = new TreeMap<>();
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(ProcessHandle.current().pid()), "Thread.print")
                    .redirectErrorStream(true).start();
            java.util.regex.Pattern line = java.util.regex.Pattern.compile("^\"(.*)\" .* nid=0x([0-9a-f]+) .*");
            for (String l : new String(p.getInputStream().readAllBytes()).split("\n")) {
                java.util.regex.Matcher m = line.matcher(l);
                if (m.matches()) {
                    names.put(Long.toString(Long.parseLong(m.group(2), 16)), m.group(1));
                }
            }
            p.waitFor();
        }
        catch (IOException ex) {
            // keep the kernel's names
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        return names;
    }

    /** Per thread id: name, user+system CPU ticks, context switches. */
    private static Map<String, Sample> sample() throws IOException {
        Map<String, Sample> out = new TreeMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
                    long vol = 0;
                    long invol = 0;
                    for (String line : Files.readAllLines(task.resolve("status"))) {
                        if (line.startsWith("voluntary_ctxt_switches:")) {
                            vol = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                        }
                        else if (line.startsWith("nonvoluntary_ctxt_switches:")) {
                            invol = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                        }
                    }
                    out.put(task.getFileName().toString(), new Sample(name, ticks, vol, invol));
                }
                catch (IOException | RuntimeException ex) {
                    // the thread ended between list and read
                }
            }
        }
        return out;
    }
}
