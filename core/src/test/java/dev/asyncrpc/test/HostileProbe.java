package dev.asyncrpc.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.asyncrpc.AsyncRpcClient;

/**
 * A normal client checking that a server still serves others while it is attacked: one call every
 * {@code ~200 ms}, each allowed {@link #LIMIT}, on its own thread. Every fifth call goes through a
 * client built for it (a new connection and handshake), the others through one long-lived client.
 * Records every latency and every failure (a call not answered in time, or answered with an error)
 * from {@link #startJudging()} on; calls before it only warm the probe up (a cold client in a
 * loaded JVM may take longer than the limit for its first call).
 */
public final class HostileProbe implements AutoCloseable {

    public static final Duration LIMIT = Duration.ofSeconds(2);
    private static final long PAUSE_MILLIS = 200;

    private final String address;
    private final AsyncRpcClient client;
    private final HostileAsync stub;
    private final List<Long> latenciesNanos = Collections.synchronizedList(new ArrayList<>());
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    private final AtomicBoolean running = new AtomicBoolean(true);
    private volatile boolean judging;
    /** The longest the probe's pause overslept: how starved of CPU the probe's own JVM was. */
    private volatile long oversleepNanos;
    private final Thread thread;
    private final long started = System.nanoTime();

    public HostileProbe(String address) {
        this.address = address;
        this.client = newClient();
        this.stub = this.client.proxy(HostileAsync.class);
        this.thread = new Thread(this::run, "probe");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private AsyncRpcClient newClient() {
        return AsyncRpcClient.builder().address(this.address).connectTimeout(LIMIT).handshakeTimeout(LIMIT).timeout(LIMIT).maxAttempts(1).build();
    }

    private void run() {
        for (int n = 1; this.running.get(); n++) {
            long t0 = System.nanoTime();
            try {
                if (n % 5 == 0) {
                    try (AsyncRpcClient fresh = newClient()) {
                        check(fresh.proxy(HostileAsync.class).greet("fresh-" + n).get(LIMIT.toMillis(), TimeUnit.MILLISECONDS), "fresh-" + n);
                    }
                }
                else {
                    check(this.stub.greet("probe-" + n).get(LIMIT.toMillis(), TimeUnit.MILLISECONDS), "probe-" + n);
                }
                if (this.judging) {
                    this.latenciesNanos.add(System.nanoTime() - t0);
                }
            }
            catch (InterruptedException ex) {
                return;
            }
            catch (Exception ex) {
                if (this.judging) {
                    this.latenciesNanos.add(System.nanoTime() - t0);
                    this.failures.add(String.format(java.util.Locale.ROOT, "call %d at %.1f s after %d ms: %s", n, (t0 - this.started) / 1e9,
                            (System.nanoTime() - t0) / 1_000_000, ex));
                }
            }
            try {
                long s0 = System.nanoTime();
                Thread.sleep(PAUSE_MILLIS); // the probe's pace, not a wait for a condition
                if (this.judging) {
                    this.oversleepNanos = Math.max(this.oversleepNanos, System.nanoTime() - s0 - PAUSE_MILLIS * 1_000_000);
                }
            }
            catch (InterruptedException ex) {
                return;
            }
        }
    }

    private static void check(String greeting, String name) {
        if (!("Hello, " + name + "!").equals(greeting)) {
            throw new IllegalStateException("unexpected greeting: " + greeting);
        }
    }

    /** From now on, every call counts. */
    public void startJudging() {
        this.judging = true;
    }

    /** Stop probing (waits for the call in flight). */
    public HostileProbe stop() throws InterruptedException {
        this.running.set(false);
        this.thread.join(TimeUnit.SECONDS.toMillis(10));
        return this;
    }

    public List<String> failures() {
        synchronized (this.failures) {
            return new ArrayList<>(this.failures);
        }
    }

    public int calls() {
        return this.latenciesNanos.size();
    }

    /** The largest latency, in milliseconds. */
    public long maxMillis() {
        synchronized (this.latenciesNanos) {
            return this.latenciesNanos.stream().mapToLong(Long::longValue).max().orElse(0) / 1_000_000;
        }
    }

    /** A latency percentile, in milliseconds. */
    public long percentileMillis(double p) {
        List<Long> sorted;
        synchronized (this.latenciesNanos) {
            sorted = new ArrayList<>(this.latenciesNanos);
        }
        if (sorted.isEmpty()) {
            return 0;
        }
        Collections.sort(sorted);
        return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(p / 100 * sorted.size()) - 1)) / 1_000_000;
    }

    public String summary() {
        return calls() + " probe calls, p50 " + percentileMillis(50) + " ms, p99 " + percentileMillis(99) + " ms, max " + maxMillis() + " ms, "
                + failures().size() + " failed, probe's pause overslept at most " + this.oversleepNanos / 1_000_000 + " ms";
    }

    @Override
    public void close() throws InterruptedException {
        stop();
        this.client.close();
    }
}
