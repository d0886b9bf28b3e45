package dev.asyncrpc.benchmarks;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Client-to-server streaming throughput (MiB/s) of asyncrpc pipes, grpc-java client streaming and a
 * raw Netty stream, in one JVM: {@code bytes} bytes per transfer in chunks of each size in
 * {@code chunks}, one connection per system on 127.0.0.1, each system honouring its flow control
 * (see the drivers).
 *
 * <p>Schedule: every system is started at once and kept running. Warm-up: per chunk size, each
 * system in turn streams {@code warmup} bytes. Then, per chunk size, {@code rounds} rounds; in each
 * round every system makes one transfer, the order rotating from round to round. The report gives
 * the median per system and chunk size, and ratios of medians.
 *
 * <p>Settings, as program arguments {@code key=value} or system properties {@code -Dbench.key=value}
 * (arguments win): {@code systems} (default {@code asyncrpc,grpc,grpc-direct,netty}; also {@code asyncrpc-await}, the caller
 * awaiting each push, and {@code asyncrpc-32}, keeping 32 pushes in flight), {@code chunks}
 * (bytes, {@code 65536,4096}), {@code bytes} (per transfer, {@code 2g}), {@code warmup} (bytes per
 * system and chunk size, {@code 1g}), {@code rounds} (5), {@code timeout} (per transfer,
 * {@code 120s}). Sizes take a {@code k}, {@code m} or {@code g} suffix (binary).
 */
public final class StreamBenchmark {

    static final List<String> ALL_SYSTEMS = List.of("asyncrpc", "grpc", "grpc-direct", "netty", "asyncrpc-await", "asyncrpc-32");

    private static final List<String> KEYS = List.of("systems", "chunks", "bytes", "warmup", "rounds", "timeout");

    /** The settings of one run. */
    record Config(List<String> systems, int[] chunks, long bytes, long warmup, int rounds, Duration timeout) {

        static Config from(String[] args) {
            Map<String, String> v = new LinkedHashMap<>();
            for (String key : KEYS) {
                String p = System.getProperty("bench." + key);
                if (p != null) {
                    v.put(key, p);
                }
            }
            for (String a : args) {
                int eq = a.indexOf('=');
                if (eq <= 0 || !KEYS.contains(a.substring(0, eq).trim())) {
                    throw new IllegalArgumentException("argument '" + a + "' (expected: key=value, keys: " + String.join(" ", KEYS) + ")");
                }
                v.put(a.substring(0, eq).trim(), a.substring(eq + 1).trim());
            }
            List<String> systems = List.of(v.getOrDefault("systems", String.join(",", ALL_SYSTEMS.subList(0, 4))).split("\\s*,\\s*"));
            for (String s : systems) {
                if (!ALL_SYSTEMS.contains(s)) {
                    throw new IllegalArgumentException("systems: '" + s + "' (expected some of " + ALL_SYSTEMS + ")");
                }
            }
            int[] chunks = Arrays.stream(v.getOrDefault("chunks", "65536,4096").split("\\s*,\\s*"))
                    .mapToLong(c -> size("chunks", c)).mapToInt(c -> {
                        if (c <= 0 || c > (1 << 24)) {
                            throw new IllegalArgumentException("chunks: " + c + " (expected: 1 to 16m)");
                        }
                        return (int) c;
                    }).toArray();
            long bytes = size("bytes", v.getOrDefault("bytes", "2g"));
            long warmup = size("warmup", v.getOrDefault("warmup", "1g"));
            int rounds = Integer.parseInt(v.getOrDefault("rounds", "5"));
            if (bytes < 0 || warmup < 0 || rounds <= 0) {
                throw new IllegalArgumentException("bytes: " + bytes + ", warmup: " + warmup + ", rounds: " + rounds
                        + " (expected: bytes >= 0, warmup >= 0, rounds > 0)");
            }
            return new Config(systems, chunks, bytes, warmup, rounds, UnaryBenchmark.Config.duration("timeout", v.getOrDefault("timeout", "120s")));
        }

        static long size(String key, String text) {
            String t = text.trim().toLowerCase(Locale.ROOT);
            try {
                int shift = switch (t.isEmpty() ? ' ' : t.charAt(t.length() - 1)) {
                    case 'k' -> 10;
                    case 'm' -> 20;
                    case 'g' -> 30;
                    default -> 0;
                };
                String num = (shift == 0) ? t : t.substring(0, t.length() - 1);
                return Math.round(Double.parseDouble(num) * (1L << shift));
            }
            catch (RuntimeException ex) {
                throw new IllegalArgumentException(key + ": '" + text + "' (expected: a size such as 4096, 64k or 2g)", ex);
            }
        }
    }

    private StreamBenchmark() {
    }

    static StreamDriver driver(String name) {
        return switch (name) {
            case "asyncrpc" -> new AsyncRpcStreamDriver();
            case "asyncrpc-await" -> new AsyncRpcStreamDriver(1);
            case "asyncrpc-32" -> new AsyncRpcStreamDriver(32);
            case "grpc" -> new GrpcStreamDriver(false);
            case "grpc-direct" -> new GrpcStreamDriver(true);
            case "netty" -> new NettyStreamDriver();
            default -> throw new IllegalArgumentException("systems: '" + name + "' (expected some of " + ALL_SYSTEMS + ")");
        };
    }

    /** A chunk-sized array with recognisable content. */
    static byte[] chunk(int size) {
        byte[] data = new byte[size];
        for (int i = 0; i < size; i++) {
            data[i] = (byte) (i * 31 + 7);
        }
        return data;
    }

    /**
     * One transfer; fails unless the server counted exactly {@code bytes}.
     * @return MiB/s
     */
    static double measure(StreamDriver d, byte[] data, long bytes, Duration timeout) throws Exception {
        long t0 = System.nanoTime();
        long got = d.transfer(data, bytes, timeout.toNanos());
        long t1 = System.nanoTime();
        if (got != bytes) {
            throw new IllegalStateException(d.name() + ": the server counted " + got + " bytes of " + bytes);
        }
        return bytes / 1048576.0 / ((t1 - t0) / 1e9);
    }

    public static void main(String[] args) throws Exception {
        Config config = Config.from(args);
        printHeader(config);
        List<StreamDriver> drivers = new ArrayList<>();
        try {
            for (String name : config.systems()) {
                StreamDriver d = driver(name);
                d.start();
                drivers.add(d);
            }
            System.out.println();
            Map<String, double[][]> rates = new LinkedHashMap<>();
            Map<String, double[][]> cpu = new LinkedHashMap<>();
            for (StreamDriver d : drivers) {
                rates.put(d.name(), new double[config.chunks().length][config.rounds()]);
                cpu.put(d.name(), new double[config.chunks().length][config.rounds()]);
            }
            for (int ci = 0; ci < config.chunks().length; ci++) {
                int chunk = config.chunks()[ci];
                byte[] data = chunk(chunk);
                StringBuilder warm = new StringBuilder(String.format("chunk %6d warm-up (%d MiB each):", chunk, config.warmup() >> 20));
                for (StreamDriver d : drivers) {
                    warm.append(String.format("  %s %,.0f", d.name(), measure(d, data, config.warmup(), config.timeout())));
                }
                System.out.println(warm);
                for (int r = 0; r < config.rounds(); r++) {
                    StringBuilder line = new StringBuilder(String.format("chunk %6d round %d:", chunk, r + 1));
                    for (int k = 0; k < drivers.size(); k++) {
                        StreamDriver d = drivers.get((k + r) % drivers.size());
                        long c0 = cpuNanos();
                        double mibs = measure(d, data, config.bytes(), config.timeout());
                        double cpuPerGib = (cpuNanos() - c0) / 1e6 * (1L << 30) / Math.max(1, config.bytes());
                        rates.get(d.name())[ci][r] = mibs;
                        cpu.get(d.name())[ci][r] = cpuPerGib;
                        line.append(String.format("  %s %,.0f (cpu %,.0f)", d.name(), mibs, cpuPerGib));
                    }
                    System.out.println(line);
                }
            }
            System.out.println("load average at end: " + loadAverage());
            System.out.println();
            printResults(config, rates, "median MiB/s [min-max]", true);
            System.out.println();
            printResults(config, cpu, "median process CPU ms per GiB [min-max]", false);
        }
        finally {
            for (StreamDriver d : drivers) {
                d.close();
            }
        }
    }

    private static void printHeader(Config config) {
        Runtime rt = Runtime.getRuntime();
        System.out.println("# asyncrpc streaming benchmark, " + OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS));
        System.out.println();
        System.out.println("load average at start: " + loadAverage());
        System.out.println("machine: " + rt.availableProcessors() + " cores, " + System.getProperty("os.name") + " "
                + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        System.out.println("JVM: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + ", max heap " + (rt.maxMemory() >> 20) + " MiB, flags " + ManagementFactory.getRuntimeMXBean().getInputArguments());
        System.out.println("workload: client-to-server stream of " + config.bytes() + " bytes (" + (config.bytes() >> 20) + " MiB) per transfer, chunks of "
                + Arrays.toString(config.chunks()) + " bytes, one connection per system; " + config.rounds()
                + " rounds per chunk size after " + (config.warmup() >> 20) + " MiB of warm-up, order rotating; timeout "
                + config.timeout().toSeconds() + " s per transfer");
        for (String name : config.systems()) {
            System.out.println(String.format("  %-12s %s", name, driver(name).description()));
        }
    }

    /** CPU time of the whole process (all threads: both ends of every system, idle ones included). */
    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static void printResults(Config config, Map<String, double[][]> rates, String what, boolean ratios) {
        int[] cs = config.chunks();
        StringBuilder head = new StringBuilder("| system (" + what + ") |");
        StringBuilder rule = new StringBuilder("|---|");
        for (int c : cs) {
            head.append(' ').append((c % 1024 == 0) ? (c / 1024) + " KiB" : c + " B").append(" chunks |");
            rule.append("---:|");
        }
        System.out.println(head);
        System.out.println(rule);
        Map<String, double[]> medians = new LinkedHashMap<>();
        for (Map.Entry<String, double[][]> e : rates.entrySet()) {
            double[] m = new double[cs.length];
            StringBuilder row = new StringBuilder("| " + e.getKey() + " |");
            for (int i = 0; i < cs.length; i++) {
                double[] r = e.getValue()[i].clone();
                Arrays.sort(r);
                m[i] = median(r);
                row.append(String.format(" %,.0f [%,.0f-%,.0f] |", m[i], r[0], r[r.length - 1]));
            }
            medians.put(e.getKey(), m);
            System.out.println(row);
        }
        if (!ratios) {
            return;
        }
        System.out.println();
        System.out.println(head.toString().replace("system (" + what + ")", "ratio of medians"));
        System.out.println(rule);
        List<String[]> pairs = List.of(new String[] { "asyncrpc", "grpc" }, new String[] { "asyncrpc", "grpc-direct" },
                new String[] { "asyncrpc", "netty" }, new String[] { "asyncrpc-await", "asyncrpc-32" });
        for (String[] p : pairs) {
            if (medians.containsKey(p[0]) && medians.containsKey(p[1])) {
                StringBuilder row = new StringBuilder("| " + p[0] + " / " + p[1] + " |");
                for (int i = 0; i < cs.length; i++) {
                    row.append(String.format(" %.2f |", medians.get(p[0])[i] / medians.get(p[1])[i]));
                }
                System.out.println(row);
            }
        }
    }

    private static String loadAverage() {
        try {
            String[] f = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        }
        catch (java.io.IOException | RuntimeException ex) {
            return "unknown";
        }
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return (n % 2 == 1) ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
