package dev.asyncrpc.test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.asyncrpc.AsyncRpcClient;
import dev.asyncrpc.InPipe;
import dev.asyncrpc.test.ForkedServer.Stats;

import static dev.asyncrpc.test.ForkedServer.Stats.mib;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * How every attack of the hostile-peer suite (issue 10, acceptance 1; the {@code Hostile*Tests})
 * runs: against a fresh server in its own JVM at {@code -Xmx256m} with the default settings
 * ({@link HostileServerMain}), from a peer written from {@code docs/protocol.md} alone
 * ({@link RawPeer}). Throughout the attack a {@link HostileProbe} (a normal client) calls every ~200 ms and
 * each of its calls must be answered within 2 s; afterwards the server's heap after a full GC must
 * come back to within 20% of its baseline (taken after a warm-up), with no {@code OutOfMemoryError}
 * (nor direct memory run out) and no buffer leak in the server's output.
 * <p>
 * The attacks' sizes are the issue's. An attacker that writes more than the server wants to read
 * stops when its writes have made no progress for {@link #STALL_MILLIS} (the server stopped
 * reading: backpressure), when the server closes its connection, or after
 * {@code asyncrpc.hostile.attack-seconds} (default 30 s; the {@code hostile-full} Maven profile
 * allows 300 s, so that an attacker facing a server that keeps reading sends everything). Every figure is printed on lines starting
 * with {@code HOSTILE}.
 */
public final class HostileScenario {

    public static final int MIB = 1 << 20;
    public static final long ATTACK_MILLIS = TimeUnit.SECONDS.toMillis(Long.getLong("asyncrpc.hostile.attack-seconds", 30));
    /** Writes that make no progress for this long mean that the server stopped reading: the attack has met backpressure. */
    public static final long STALL_MILLIS = 8_000;
    /** How long an attack holds what it built (pending calls, stalled frames, parked calls) while the probe runs. */
    public static final long HOLD_MILLIS = TimeUnit.SECONDS.toMillis(Long.getLong("asyncrpc.hostile.hold-seconds", 5));
    public static final double HEAP_TOLERANCE = 1.20;

    /**
     * The least growth of heap after GC that fails a scenario, 2 MiB: 20% of a baseline of a few
     * MiB is less than one pooled allocator chunk, which the server may keep after an attack (a
     * leak of an attack's calls or frames is tens of MiB).
     */
    public static final long HEAP_SLACK = 2L << 20;
    /** The fewest probe calls judged in a scenario, however short its attack. */
    public static final int MIN_PROBE_CALLS = 5;

    /** Threads that write for attackers. */
    public static final ExecutorService ATTACKERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "attacker");
        t.setDaemon(true);
        return t;
    });

    private HostileScenario() {
    }

    /** One attack: runs against the server while the probe calls, returns what it did (for the report). */
    @FunctionalInterface
    public interface Attack {
        String run(ForkedServer server) throws Exception;
    }

    public static void scenario(String name, Attack attack) throws Exception {
        RawPeer.MEMORY_ALARMS.clear();
        try (ForkedServer server = new ForkedServer("256m")) {
            HostileProbe probe = new HostileProbe(server.address());
            try {
                long w0 = System.nanoTime();
                warmUp(server);
                Stats baseline = server.stats();
                long warmMillis = (System.nanoTime() - w0) / 1_000_000;
                probe.startJudging();
                long t0 = System.nanoTime();
                String what = attack.run(server);
                long attackMillis = (System.nanoTime() - t0) / 1_000_000;
                long probing = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (probe.calls() < MIN_PROBE_CALLS && System.nanoTime() < probing) {
                    Thread.sleep(50); // a short attack: the probe makes its calls against the server the attack left
                }
                long s0 = System.nanoTime();
                Stats after = awaitSettled(server, baseline);
                long settleMillis = (System.nanoTime() - s0) / 1_000_000;
                probe.stop();
                server.checkLeaks();
                System.out.printf("HOSTILE %s: %s; warm-up %d ms, attack %d ms, settled in %d ms; probe: %s%nHOSTILE %s: baseline %s%n"
                        + "HOSTILE %s: after    %s%n", name, what, warmMillis, attackMillis, settleMillis, probe.summary(), name, baseline, name, after);
                assertThat(server.isAlive()).as("the server process is alive").isTrue();
                assertThat(server.alarms()).as("LEAK or OutOfMemoryError in the server's output").isEmpty();
                assertThat(RawPeer.MEMORY_ALARMS).as("GOAWAY or ERROR messages about memory").isEmpty();
                assertThat(after.peakDirect()).as("peak direct memory (sampled) against the limit %s: running out is an OutOfMemoryError too",
                        mib(after.maxDirect())).isLessThan(after.maxDirect() * 9 / 10);
                assertThat(probe.failures()).as("probe calls not answered within %s (%s)", HostileProbe.LIMIT, probe.summary()).isEmpty();
                assertThat(probe.calls()).as("probe calls made").isGreaterThanOrEqualTo(MIN_PROBE_CALLS);
                assertThat(after.heap()).as("heap after GC (baseline %s, after %s)", mib(baseline.heap()), mib(after.heap()))
                        .isLessThanOrEqualTo(heapBound(baseline.heap()));
                assertThat(after.calls()).as("calls in progress after the attack").isZero();
            }
            finally {
                probe.close();
            }
        }
    }

    /** A normal client exercises every operation, so that the baseline is taken warm. */
    private static void warmUp(ForkedServer server) throws Exception {
        try (AsyncRpcClient client = AsyncRpcClient.builder().address(server.address()).build()) {
            HostileAsync stub = client.proxy(HostileAsync.class);
            for (int round = 0; round < 2; round++) {
                List<CompletableFuture<?>> calls = new ArrayList<>();
                for (int i = 0; i < 500; i++) {
                    calls.add(stub.greet("warm-" + i));
                }
                for (int i = 0; i < 50; i++) {
                    calls.add(stub.greetLater("warm-" + i, 1).toCompletableFuture());
                    calls.add(stub.bytes(100));
                }
                for (int i = 0; i < 10; i++) {
                    InPipe<String> names = InPipe.create();
                    calls.add(stub.count(names));
                    names.push("a", "b", "c").toCompletableFuture().get(10, TimeUnit.SECONDS);
                    names.close();
                }
                CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * Wait (bounded) until the attack has left the server: no call in progress, only the probe's
     * connections, the heap after GC back within the tolerance. Returns the last figures either way.
     */
    private static Stats awaitSettled(ForkedServer server, Stats baseline) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
        Stats s = server.stats();
        while (System.nanoTime() < deadline && !(s.calls() == 0 && s.connections() <= 2 && s.heap() <= heapBound(baseline.heap()))) {
            Thread.sleep(500); // a STATS round collects garbage in the server: pace them
            s = server.stats();
        }
        return s;
    }

    /**
     * Let {@code writers} write until each has written everything or failed (the server closed its
     * connection), or until their writes have made no progress for {@link #STALL_MILLIS} (the server
     * stopped reading), or for at most {@link #ATTACK_MILLIS}.
     * @param progress what the writers have written so far, in any unit that grows with each write
     * @return how the writing ended, for the report
     */
    public static String writeFor(List<Future<?>> writers, AtomicLong progress) throws Exception {
        long start = System.nanoTime();
        long deadline = start + TimeUnit.MILLISECONDS.toNanos(ATTACK_MILLIS);
        long lastProgress = progress.get();
        long lastChange = start;
        while (true) {
            if (writers.stream().allMatch(Future::isDone)) {
                long failed = writers.stream().filter(w -> {
                    try {
                        w.get();
                        return false;
                    }
                    catch (Exception ex) {
                        return true;
                    }
                }).count();
                return failed == 0 ? "all written" : failed + " of " + writers.size() + " writers ended by the server closing the connection";
            }
            long now = System.nanoTime();
            if (progress.get() != lastProgress) {
                lastProgress = progress.get();
                lastChange = now;
            }
            else if (now - lastChange > TimeUnit.MILLISECONDS.toNanos(STALL_MILLIS)) {
                return "writes stalled after " + (lastChange - start) / 1_000_000 + " ms (the server stopped reading)";
            }
            if (now > deadline) {
                return "still writing after " + ATTACK_MILLIS + " ms";
            }
            Thread.sleep(50); // polls the writers' progress
        }
    }

    /** Write {@code frames} frames (built by {@code frame}) in batches of {@code batch}; counts what was written. */
    public static Future<?> writer(RawPeer peer, int frames, int batch, java.util.function.IntFunction<byte[]> frame, AtomicLong written) {
        return ATTACKERS.submit(() -> {
            for (int sent = 0; sent < frames; sent += batch) {
                java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
                int n = Math.min(batch, frames - sent);
                for (int i = 0; i < n; i++) {
                    b.writeBytes(frame.apply(sent + i));
                }
                peer.send(b.toByteArray());
                written.addAndGet(n);
            }
            return null;
        });
    }

    public static void closeAll(List<RawPeer> peers) {
        for (RawPeer p : peers) {
            try {
                p.close();
            }
            catch (IOException ex) {
                // closing anyway
            }
        }
    }

    /** The most heap after GC a scenario may end with: its baseline plus 20%, or plus {@link #HEAP_SLACK} if that is more. */
    static long heapBound(long baseline) {
        return Math.max((long) (baseline * HEAP_TOLERANCE), baseline + HEAP_SLACK);
    }
}
