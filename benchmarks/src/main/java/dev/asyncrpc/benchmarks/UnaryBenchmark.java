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
import java.util.concurrent.TimeUnit;

/**
 * Unary echo calls per second of asyncrpc, grpc-java and raw Netty, in one JVM, with one workload:
 * {@code payload}-byte requests and replies, one connection, one issuing thread, {@code W} calls
 * outstanding (see {@link Window}).
 *
 * <p>Schedule: every system is started at once and kept running. Warm-up: 500 ms slices, the
 * systems taking turns and W rotating, until each system has run {@code warmup}. Then for each
 * W, {@code rounds} rounds; in each round every system runs one segment ({@code ramp}
 * unmeasured, then {@code measure} measured), the order of systems rotating from round to round
 * so that none always follows the same neighbour.
 * The report gives the median per system and W, and ratios of medians.
 *
 * <p>Settings, as program arguments {@code key=value} or system properties {@code -Dbench.key=value}
 * (arguments win): {@code systems} (default all: {@code asyncrpc,asyncrpc-sync,asyncrpc-plain,asyncrpc-direct,grpc,grpc-direct,netty,netty-min};
 * {@code asyncrpc-plain} is a blocking caller, measured at W=1 only; {@code asyncrpc-spring,asyncrpc-bearer,asyncrpc-workers} run only when named),
 * {@code windows} ({@code 1,64,256}), {@code payload} (bytes, 64), {@code warmup} (per system, 5s),
 * {@code measure} (1200ms), {@code ramp} (100ms), {@code rounds} (5). Durations take {@code ms},
 * {@code s} or ISO-8601. Everything listens and connects on 127.0.0.1 only.
 */
public final class UnaryBenchmark {

    static final List<String> ALL_SYSTEMS = List.of("asyncrpc", "asyncrpc-sync", "asyncrpc-plain", "asyncrpc-direct", "grpc", "grpc-direct", "netty",
            "netty-min");

    /** Systems run only when named: the Spring Boot server without and with bearer tokens. */
    static final List<String> SECURITY_SYSTEMS = List.of("asyncrpc-spring", "asyncrpc-bearer");

    /** Systems run only when named: {@code asyncrpc} with inline dispatch off (its implementation always on a worker). */
    static final List<String> EXTRA_SYSTEMS = List.of("asyncrpc-workers");

    /** The settings of one run. */
    record Config(List<String> systems, int[] windows, int payload, Duration warmup, Duration measure, Duration ramp, int rounds) {

        static Config from(String[] args) {
            Map<String, String> v = new LinkedHashMap<>();
            for (String key : List.of("systems", "windows", "payload", "warmup", "measure", "ramp", "rounds")) {
                String p = System.getProperty("bench." + key);
                if (p != null) {
                    v.put(key, p);
                }
            }
            for (String a : args) {
                int eq = a.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("argument '" + a + "' (expected: key=value, keys: systems windows payload warmup measure ramp rounds)");
                }
                v.put(a.substring(0, eq).trim(), a.substring(eq + 1).trim());
            }
            List<String> systems = List.of(v.getOrDefault("systems", String.join(",", ALL_SYSTEMS)).split("\\s*,\\s*"));
            for (String s : systems) {
                if (!ALL_SYSTEMS.contains(s) && !SECURITY_SYSTEMS.contains(s) && !EXTRA_SYSTEMS.contains(s)) {
                    throw new IllegalArgumentException("systems: '" + s + "' (expected some of " + ALL_SYSTEMS + " or " + SECURITY_SYSTEMS + ")");
                }
            }
            int[] windows = Arrays.stream(v.getOrDefault("windows", "1,64,256").split("\\s*,\\s*")).mapToInt(Integer::parseInt).toArray();
            for (int w : windows) {
                if (w <= 0) {
                    throw new IllegalArgumentException("windows: " + w + " (expected: > 0)");
                }
            }
            int payload = Integer.parseInt(v.getOrDefault("payload", "64"));
            int rounds = Integer.parseInt(v.getOrDefault("rounds", "5"));
            if (payload < 0 || rounds <= 0) {
                throw new IllegalArgumentException("payload: " + payload + ", rounds: " + rounds + " (expected: payload >= 0, rounds > 0)");
            }
            return new Config(systems, windows, payload, duration("warmup", v.getOrDefault("warmup", "5s")),
                    duration("measure", v.getOrDefault("measure", "1200ms")), duration("ramp", v.getOrDefault("ramp", "100ms")), rounds);
        }

        static Duration duration(String key, String text) {
            String t = text.trim().toLowerCase(Locale.ROOT);
            try {
                if (t.startsWith("pt")) {
                    return Duration.parse(t);
                }
                if (t.endsWith("ms")) {
                    return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
                }
                if (t.endsWith("s")) {
                    return Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
                }
                return Duration.ofMillis(Math.round(Double.parseDouble(t) * 1000));
            }
            catch (RuntimeException ex) {
                throw new IllegalArgumentException(key + ": '" + text + "' (expected: a duration such as 500ms, 1.5s or PT2S)", ex);
            }
        }

        Duration estimate() {
            long segment = this.ramp.toMillis() + this.measure.toMillis();
            return this.warmup.multipliedBy(this.systems.size())
                    .plusMillis(segment * this.rounds * this.windows.length * this.systems.size());
        }
    }

    private UnaryBenchmark() {
    }

    static Driver driver(String name) {
        return switch (name) {
            case "asyncrpc" -> new AsyncRpcDriver(true);
            case "asyncrpc-sync" -> new AsyncRpcDriver(false);
            case "asyncrpc-plain" -> new AsyncRpcDriver(false, false, true);
            case "asyncrpc-direct" -> new AsyncRpcDriver(true, true);
            case "asyncrpc-workers" -> new AsyncRpcDriver(true, false, false, false);
            case "grpc" -> new GrpcDriver(false);
            case "grpc-direct" -> new GrpcDriver(true);
            case "netty" -> new NettyDriver(false);
            case "netty-min" -> new NettyDriver(true);
            case "asyncrpc-spring" -> new SpringBearerDriver(false);
            case "asyncrpc-bearer" -> new SpringBearerDriver(true);
            default -> throw new IllegalArgumentException("systems: '" + name + "' (expected some of " + ALL_SYSTEMS + ")");
        };
    }

    public static void main(String[] args) throws Exception {
        Config config = Config.from(args);
        byte[] payload = new byte[config.payload()];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) i;
        }
        printHeader(config);
        List<Window> windows = new ArrayList<>();
        try {
            for (String name : config.systems()) {
                Driver d = driver(name);
                d.start();
                windows.add(new Window(d, payload));
            }
            System.out.println();
            // warm-up: 500 ms slices, systems interleaved and W rotating, until each had its share
            // (grpc-java needs about 10 s of JIT compilation on 2 cores before its rate settles)
            long slice = TimeUnit.MILLISECONDS.toNanos(500);
            int slices = (int) Math.max(1, (config.warmup().toNanos() + slice - 1) / slice);
            double[] last = new double[windows.size()];
            for (int i = 0; i < slices; i++) {
                int w = config.windows()[i % config.windows().length];
                for (int k = 0; k < windows.size(); k++) {
                    last[k] = windows.get(k).run(windows.get(k).driver().blocking() ? 1 : w, 0, slice).callsPerSecond();
                }
            }
            StringBuilder warm = new StringBuilder("warm-up done (" + slices + " slices of 500 ms per system), last slice:");
            for (int k = 0; k < windows.size(); k++) {
                warm.append(String.format("  %s %,.0f/s", windows.get(k).driver().name(), last[k]));
            }
            System.out.println(warm);
            // measurement: per W, rounds of one segment per system, order rotating
            Map<String, double[][]> rates = new LinkedHashMap<>();
            Map<String, double[]> p50s = new LinkedHashMap<>();
            for (Window win : windows) {
                rates.put(win.driver().name(), new double[config.windows().length][config.rounds()]);
                p50s.put(win.driver().name(), new double[config.rounds()]);
            }
            long failures = 0;
            for (int wi = 0; wi < config.windows().length; wi++) {
                int w = config.windows()[wi];
                for (int r = 0; r < config.rounds(); r++) {
                    StringBuilder line = new StringBuilder(String.format("W=%-4d round %d:", w, r + 1));
                    for (int k = 0; k < windows.size(); k++) {
                        Window win = windows.get((k + r) % windows.size());
                        if (win.driver().blocking() && w != 1) {
                            rates.get(win.driver().name())[wi][r] = Double.NaN; // a plain caller has one call outstanding
                            continue;
                        }
                        Window.Segment s = win.run(w, config.ramp().toNanos(), config.measure().toNanos());
                        failures += s.failures();
                        rates.get(win.driver().name())[wi][r] = s.callsPerSecond();
                        if (w == 1) {
                            p50s.get(win.driver().name())[r] = s.p50Nanos() / 1000.0;
                        }
                        line.append(String.format("  %s %,.0f", win.driver().name(), s.callsPerSecond()));
                    }
                    System.out.println(line);
                }
            }
            System.out.println("load average at end: " + loadAverage());
            System.out.println();
            printResults(config, rates);
            if (java.util.Arrays.stream(config.windows()).anyMatch((w) -> w == 1)) {
                printLatency(p50s);
            }
            if (failures > 0) {
                for (Window win : windows) {
                    if (win.firstFailure() != null) {
                        System.out.println("FAILURES in " + win.driver().name() + ": " + win.firstFailure());
                    }
                }
                System.exit(1);
            }
        }
        finally {
            for (Window win : windows) {
                win.driver().close();
            }
        }
    }

    private static void printHeader(Config config) {
        Runtime rt = Runtime.getRuntime();
        System.out.println("# asyncrpc unary benchmark, " + OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS));
        System.out.println();
        System.out.println("load average at start: " + loadAverage());
        System.out.println("machine: " + rt.availableProcessors() + " cores, " + System.getProperty("os.name") + " "
                + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        System.out.println("JVM: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + ", max heap " + (rt.maxMemory() >> 20) + " MiB, flags " + ManagementFactory.getRuntimeMXBean().getInputArguments());
        System.out.println("workload: " + config.payload() + "-byte request and reply, one connection, one issuing thread, W = "
                + Arrays.toString(config.windows()) + " calls outstanding");
        System.out.println("schedule: warm-up " + config.warmup().toMillis() + " ms per system, interleaved; " + config.rounds()
                + " rounds per W, each system " + config.ramp().toMillis() + " ms ramp + " + config.measure().toMillis()
                + " ms measured per round, order rotating; estimated " + config.estimate().toSeconds() + " s");
        System.out.println("transport: Netty " + (NettyDriver.epoll() ? "epoll" : "nio") + " for asyncrpc and netty*; grpc-netty-shaded uses its own copy (epoll when available, see below)");
        for (String name : config.systems()) {
            System.out.println(String.format("  %-14s %s", name, driver(name).description()));
        }
    }

    private static void printResults(Config config, Map<String, double[][]> rates) {
        int[] ws = config.windows();
        StringBuilder head = new StringBuilder("| system (median calls/s [min-max]) |");
        StringBuilder rule = new StringBuilder("|---|");
        for (int w : ws) {
            head.append(" W=").append(w).append(" |");
            rule.append("---:|");
        }
        System.out.println(head);
        System.out.println(rule);
        Map<String, double[]> medians = new LinkedHashMap<>();
        for (Map.Entry<String, double[][]> e : rates.entrySet()) {
            double[] m = new double[ws.length];
            StringBuilder row = new StringBuilder("| " + e.getKey() + " |");
            for (int i = 0; i < ws.length; i++) {
                double[] r = e.getValue()[i].clone();
                Arrays.sort(r);
                m[i] = median(r);
                if (Double.isNaN(m[i])) {
                    row.append(" n/a |");
                    continue;
                }
                row.append(String.format(" %,.0f [%,.0f-%,.0f] |", m[i], r[0], r[r.length - 1]));
            }
            medians.put(e.getKey(), m);
            System.out.println(row);
        }
        System.out.println();
        System.out.println(head.toString().replace("system (median calls/s [min-max])", "ratio of medians"));
        System.out.println(rule);
        for (String a : List.of("asyncrpc", "asyncrpc-workers", "asyncrpc-sync", "asyncrpc-plain", "asyncrpc-direct")) {
            for (String b : List.of("grpc", "grpc-direct", "netty", "netty-min")) {
                if (medians.containsKey(a) && medians.containsKey(b)) {
                    StringBuilder row = new StringBuilder("| " + a + " / " + b + " |");
                    for (int i = 0; i < ws.length; i++) {
                        row.append(String.format(" %.2f |", medians.get(a)[i] / medians.get(b)[i]));
                    }
                    System.out.println(row);
                }
            }
        }
        if (medians.containsKey("asyncrpc-bearer") && medians.containsKey("asyncrpc-spring")) {
            StringBuilder row = new StringBuilder("| asyncrpc-bearer / asyncrpc-spring |");
            for (int i = 0; i < ws.length; i++) {
                row.append(String.format(" %.2f |", medians.get("asyncrpc-bearer")[i] / medians.get("asyncrpc-spring")[i]));
            }
            System.out.println(row);
        }
    }

    /** W=1: the median over rounds of each round's median latency (issue to callback), and ratios to raw Netty. */
    private static void printLatency(Map<String, double[]> p50s) {
        System.out.println();
        System.out.println("| system | W=1 p50 latency, µs (median of rounds [min-max]) | / netty | / netty-min |");
        System.out.println("|---|---:|---:|---:|");
        Map<String, Double> med = new LinkedHashMap<>();
        p50s.forEach((name, v) -> {
            double[] r = v.clone();
            Arrays.sort(r);
            med.put(name, median(r));
        });
        p50s.forEach((name, v) -> {
            double[] r = v.clone();
            Arrays.sort(r);
            Double netty = med.get("netty");
            Double min = med.get("netty-min");
            System.out.println(String.format("| %s | %.1f [%.1f-%.1f] | %s | %s |", name, med.get(name), r[0], r[r.length - 1],
                    (netty != null) ? String.format("%.2f", med.get(name) / netty) : "—", (min != null) ? String.format("%.2f", med.get(name) / min) : "—"));
        });
    }

        /** The 1, 5 and 15 minute load averages (Linux), to show how busy the machine was. */
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
