package dev.asyncrpc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import dev.asyncrpc.test.Bulk;
import dev.asyncrpc.test.BulkAsync;
import dev.asyncrpc.test.ForkedServer;
import dev.asyncrpc.test.ForkedServer.Stats;
import dev.asyncrpc.test.HostileAsync;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static dev.asyncrpc.test.ForkedServer.Stats.mib;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bounded soak (issue 10, acceptance 4): a server in its own JVM at {@code -Xmx256m} takes a mix of
 * unary calls, pipes in both directions, cancels and deadlines from {@value #LANES} lanes of a normal
 * client for {@code asyncrpc.soak.seconds} (default 60 s; the {@code soak} Maven profile runs 900 s)
 * after {@code asyncrpc.soak.warmup-seconds} (default 15 s) of warm-up. Between the warmed-up start and
 * the end the server's heap after a full GC, its direct memory, its live threads and its open file
 * descriptors must not grow beyond small tolerances, and every call must end as its kind expects.
 * The figures are printed on lines starting with {@code SOAK}.
 */
class SoakTests {

    static final int LANES = 8;
    static final long WARMUP_SECONDS = Long.getLong("asyncrpc.soak.warmup-seconds", 15);
    static final long SOAK_SECONDS = Long.getLong("asyncrpc.soak.seconds", 60);
    static final int CHUNK = 16 * 1024;
    static final long TRANSFER = 256 * 1024;

    /** What each kind of call did: ended as expected, or not (with the first few surprises). */
    static final class Tally {
        final Map<String, LongAdder> ok = new ConcurrentHashMap<>();
        final Map<String, LongAdder> unexpected = new ConcurrentHashMap<>();
        final List<String> surprises = java.util.Collections.synchronizedList(new ArrayList<>());

        void ok(String kind) {
            this.ok.computeIfAbsent(kind, k -> new LongAdder()).increment();
        }

        void unexpected(String kind, Object what) {
            this.unexpected.computeIfAbsent(kind, k -> new LongAdder()).increment();
            if (this.surprises.size() < 20) {
                this.surprises.add(kind + ": " + what);
            }
        }

        long total() {
            return this.ok.values().stream().mapToLong(LongAdder::sum).sum();
        }

        @Override
        public String toString() {
            return "ok " + new java.util.TreeMap<>(this.ok) + ", unexpected " + new java.util.TreeMap<>(this.unexpected);
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.MINUTES)
    void mixedLoadLeavesNoGrowth() throws Exception {
        try (ForkedServer server = new ForkedServer("256m");
                AsyncRpcClient client = AsyncRpcClient.builder().address(server.address()).build()) {
            HostileAsync hostile = client.proxy(HostileAsync.class);
            HostileAsync withDeadline = client.proxy(HostileAsync.class, CallOptions.DEFAULT.withTimeout(Duration.ofMillis(50)));
            BulkAsync bulk = client.proxy(BulkAsync.class);
            Tally tally = new Tally();
            AtomicBoolean running = new AtomicBoolean(true);
            List<Thread> lanes = new ArrayList<>();
            for (int l = 0; l < LANES; l++) {
                int lane = l;
                Thread t = new Thread(() -> {
                    for (long i = lane; running.get(); i++) {
                        step(i, hostile, withDeadline, bulk, tally);
                    }
                }, "soak-lane-" + l);
                t.setDaemon(true);
                t.start();
                lanes.add(t);
            }
            List<String> series = new ArrayList<>();
            Thread.sleep(TimeUnit.SECONDS.toMillis(WARMUP_SECONDS)); // the warm-up's length, under load
            Stats start = server.stats();
            long callsAtStart = tally.total();
            long t0 = System.nanoTime();
            series.add("0 s: " + start);
            long end = t0 + TimeUnit.SECONDS.toNanos(SOAK_SECONDS);
            while (System.nanoTime() < end) {
                Thread.sleep(Math.min(TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()) + 1, 30_000)); // sampling pace
                if (System.nanoTime() < end) {
                    series.add((System.nanoTime() - t0) / 1_000_000_000 + " s: " + server.stats());
                }
            }
            running.set(false);
            for (Thread t : lanes) {
                t.join(TimeUnit.SECONDS.toMillis(60));
                assertThat(t.isAlive()).as("lane %s ended", t.getName()).isFalse();
            }
            long seconds = (System.nanoTime() - t0) / 1_000_000_000;
            long calls = tally.total() - callsAtStart;
            Stats last = server.stats();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while ((last.calls() > 0 || last.pipes() > 0) && System.nanoTime() < deadline) {
                Thread.sleep(200); // calls cancelled abortively may still be ending in the server
                last = server.stats();
            }
            series.add(seconds + " s (end): " + last);
            server.checkLeaks();
            for (String s : series) {
                System.out.println("SOAK " + s);
            }
            System.out.printf("SOAK %d lanes, %d s after %d s warm-up: %,d calls (%,d/s); %s%n", LANES, seconds, WARMUP_SECONDS, calls,
                    calls / Math.max(1, seconds), tally);
            System.out.printf("SOAK growth: heap %s -> %s, allocator direct %s -> %s, NIO direct %s -> %s, threads %d -> %d, fds %d -> %d%n",
                    mib(start.heap()), mib(last.heap()), mib(start.allocatorDirect()), mib(last.allocatorDirect()), mib(start.nioDirect()),
                    mib(last.nioDirect()), start.threads(), last.threads(), start.fds(), last.fds());

            assertThat(tally.surprises).as("calls that ended otherwise than their kind expects (%s)", tally).isEmpty();
            assertThat(calls).as("calls made in the soak").isGreaterThan(1_000);
            assertThat(server.alarms()).as("LEAK or OutOfMemoryError in the server's output").isEmpty();
            assertThat(last.calls()).as("calls in progress at the end").isZero();
            assertThat(last.pipes()).as("open pipes at the end").isZero();
            assertThat(client.pendingCalls()).as("the client's pending calls at the end").isZero();
            assertThat(last.heap()).as("heap after GC at the end (start %s)", mib(start.heap()))
                    .isLessThanOrEqualTo(start.heap() + Math.max(start.heap() / 10, 4L << 20));
            assertThat(last.allocatorDirect()).as("direct memory of the allocator at the end (start %s)", mib(start.allocatorDirect()))
                    .isLessThanOrEqualTo(start.allocatorDirect() + (16L << 20));
            assertThat(last.nioDirect()).as("NIO direct buffers at the end (start %s)", mib(start.nioDirect()))
                    .isLessThanOrEqualTo(start.nioDirect() + (16L << 20));
            assertThat(last.threads()).as("live threads at the end").isLessThanOrEqualTo(start.threads() + 8);
            assertThat(last.fds()).as("open file descriptors at the end").isLessThanOrEqualTo(start.fds() + 4);
        }
    }

    /** One step of a lane: the kind of call rotates with {@code i}. */
    private static void step(long i, HostileAsync hostile, HostileAsync withDeadline, BulkAsync bulk, Tally tally) {
        int kind = (int) (i % 10);
        try {
            switch (kind) {
                case 0, 1, 2, 3 -> {
                    List<CompletableFuture<String>> batch = new ArrayList<>();
                    for (int n = 0; n < 20; n++) {
                        batch.add(hostile.greet("soak-" + n));
                    }
                    for (int n = 0; n < 20; n++) {
                        expect("greet", batch.get(n).get(30, TimeUnit.SECONDS).equals("Hello, soak-" + n + "!"), tally);
                    }
                }
                case 4 -> expect("greetLater", hostile.greetLater("later", 20).join(Duration.ofSeconds(30)).equals("Hello later, later!"), tally);
                case 5 -> {
                    AsyncCall<String> call = hostile.greetLater("cancelled", 60_000);
                    Thread.sleep(5); // let the call reach the server before it is cancelled
                    CancelMode mode = (i / 10) % 2 == 0 ? CancelMode.ABORTIVE : CancelMode.GRACEFUL;
                    call.cancel(mode);
                    expectStatus("cancel " + mode, () -> call.join(Duration.ofSeconds(30)), Status.CANCELLED, tally);
                }
                case 6 -> expectStatus("deadline", () -> withDeadline.greetLater("late", 60_000).join(Duration.ofSeconds(30)),
                        Status.DEADLINE_EXCEEDED, tally);
                case 7 -> {
                    InPipe<byte[]> up = InPipe.create();
                    CompletableFuture<Bulk.Digest> upload = bulk.upload(up);
                    dev.asyncrpc.test.BulkEndpoint.pushAll(up::push, TRANSFER, CHUNK);
                    up.close();
                    expect("upload", upload.get(60, TimeUnit.SECONDS).bytes() == TRANSFER, tally);
                }
                case 8 -> {
                    OutPipe<byte[]> down = OutPipe.create();
                    CompletableFuture<Void> download = bulk.download(TRANSFER, CHUNK, down);
                    long got = 0;
                    for (byte[] chunk : down) {
                        got += chunk.length;
                    }
                    download.get(60, TimeUnit.SECONDS);
                    expect("download", got == TRANSFER, tally);
                }
                default -> {
                    InPipe<String> names = InPipe.create();
                    CompletableFuture<Integer> count = hostile.count(names);
                    for (int n = 0; n < 10; n++) {
                        names.push("a", "b", "c", "d", "e", "f", "g", "h", "i", "j").toCompletableFuture().get(30, TimeUnit.SECONDS);
                    }
                    names.close();
                    expect("count", count.get(30, TimeUnit.SECONDS) == 100, tally);
                }
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        catch (Exception ex) {
            tally.unexpected("kind " + kind, ex);
        }
    }

    private static void expect(String kind, boolean ok, Tally tally) {
        if (ok) {
            tally.ok(kind);
        }
        else {
            tally.unexpected(kind, "wrong value");
        }
    }

    private static void expectStatus(String kind, java.util.concurrent.Callable<?> call, Status status, Tally tally) {
        try {
            Object value = call.call();
            tally.unexpected(kind, "a value: " + value);
        }
        catch (Exception ex) {
            Throwable t = ex;
            while ((t instanceof ExecutionException || t instanceof java.util.concurrent.CompletionException) && t.getCause() != null) {
                t = t.getCause();
            }
            if (t instanceof RemoteCallException r && r.status() == status) {
                tally.ok(kind);
            }
            else {
                tally.unexpected(kind, t);
            }
        }
    }
}
