package dev.asyncrpc.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a call costs in one system against another, in one JVM: the systems take turns in rounds
 * (the order rotating), and for each round the program records calls per second, heap bytes
 * allocated per call (every live thread's allocation counter, so client and server together) and
 * process CPU microseconds per call. It prints the median of each per system and, for the second
 * system against the first, the median of the per-round ratios of calls per second: on a busy
 * machine the systems of one round share its conditions, so that ratio moves less than a ratio of
 * medians. Bytes per call hardly depend on the load; CPU per call does somewhat.
 *
 * <pre>
 * java -cp ... dev.asyncrpc.benchmarks.CallCost systems=asyncrpc-spring,asyncrpc-bearer w=256 rounds=11 measure=800ms
 * </pre>
 *
 * <p>Settings ({@code key=value}): {@code systems} (two or more, as in {@link UnaryBenchmark}),
 * {@code w} (256), {@code payload} (64), {@code warmup} (per system, 3s), {@code measure} (per
 * segment, 800ms), {@code rounds} (11).
 */
public final class CallCost {

    /** One segment's figures. */
    record Cost(double callsPerSecond, double bytesPerCall, double cpuMicrosPerCall) {
    }

    private CallCost() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> v = new TreeMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("argument '" + a + "' (expected: key=value, keys: systems w payload warmup measure rounds)");
            }
            v.put(a.substring(0, eq), a.substring(eq + 1));
        }
        String systems = v.getOrDefault("systems", "asyncrpc-spring,asyncrpc-bearer");
        int w = Integer.parseInt(v.getOrDefault("w", "256"));
        UnaryBenchmark.Config c = UnaryBenchmark.Config.from(new String[] { "systems=" + systems, "payload=" + v.getOrDefault("payload", "64"),
                "warmup=" + v.getOrDefault("warmup", "3s"), "measure=" + v.getOrDefault("measure", "800ms"),
                "rounds=" + v.getOrDefault("rounds", "11") });
        List<Window> windows = new ArrayList<>();
        try {
            for (String name : c.systems()) {
                Driver d = UnaryBenchmark.driver(name);
                d.start();
                windows.add(new Window(d, new byte[c.payload()]));
            }
            long slice = 500_000_000L;
            for (long done = 0; done < c.warmup().toNanos(); done += slice) {
                for (Window window : windows) {
                    window.run(w, 0, slice);
                }
            }
            Cost[][] costs = new Cost[windows.size()][c.rounds()];
            for (int r = 0; r < c.rounds(); r++) {
                for (int i = 0; i < windows.size(); i++) {
                    int k = (i + r) % windows.size();
                    costs[k][r] = measure(windows.get(k), w, c.measure().toNanos());
                }
            }
            for (Window window : windows) {
                if (window.firstFailure() != null) {
                    throw new IllegalStateException(window.driver().name() + ": calls failed", window.firstFailure());
                }
            }
            System.out.printf("W=%d, %d rounds of %d ms per system, load average %.2f%n", w, c.rounds(), c.measure().toMillis(),
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            System.out.printf("%-18s %14s %14s %14s%n", "system", "calls/s", "bytes/call", "cpu us/call");
            for (int k = 0; k < windows.size(); k++) {
                Cost[] s = costs[k];
                System.out.printf("%-18s %,14.0f %,14.0f %14.2f%n", c.systems().get(k), median(s, Cost::callsPerSecond),
                        median(s, Cost::bytesPerCall), median(s, Cost::cpuMicrosPerCall));
            }
            for (int k = 1; k < windows.size(); k++) {
                double[] ratios = roundRatios(costs[0], costs[k]);
                System.out.printf("%s / %s: median of per-round ratios %.2f %s%n", c.systems().get(k), c.systems().get(0), median(ratios),
                        Arrays.toString(Arrays.stream(ratios).map((x) -> Math.round(x * 100) / 100.0).toArray()));
            }
        }
        finally {
            for (Window window : windows) {
                window.driver().close();
            }
        }
    }

    private static Cost measure(Window window, int w, long nanos) throws InterruptedException {
        long bytes = allocatedBytes();
        long cpu = processCpuNanos();
        Window.Segment s = window.run(w, 0, nanos);
        long calls = Math.max(1, s.calls());
        return new Cost(s.callsPerSecond(), (allocatedBytes() - bytes) / (double) calls, (processCpuNanos() - cpu) / 1000.0 / calls);
    }

    /** The rates of {@code other} divided by those of {@code base}, round by round. */
    static double[] roundRatios(Cost[] base, Cost[] other) {
        double[] ratios = new double[base.length];
        for (int r = 0; r < base.length; r++) {
            ratios[r] = (base[r].callsPerSecond() == 0) ? 0 : other[r].callsPerSecond() / base[r].callsPerSecond();
        }
        return ratios;
    }

    static double median(Cost[] costs, java.util.function.ToDoubleFunction<Cost> figure) {
        return median(Arrays.stream(costs).mapToDouble(figure).toArray());
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return (n % 2 == 1) ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static long allocatedBytes() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (long b : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
            sum += Math.max(0, b);
        }
        return sum;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
