package dev.asyncrpc;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.asyncrpc.test.Calc;
import dev.asyncrpc.test.FuzzPipes;
import dev.asyncrpc.test.PlainCalc;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A socket-level mutation fuzzer against a real server over TCP loopback: about 1,000 connections
 * each send HELLO and 300 frames, valid frames of {@link FuzzSeeds} of which a share (0.2% to 90%,
 * chosen per connection) is mutated by {@link FrameMutator}, then zero bytes that complete the last
 * frame and a PING. Each connection must be answered (its PONG) or closed by the server within 20 s;
 * a fresh client's call is answered within 5 s throughout and at the end; when every connection has
 * gone, no call and no pipe is left open on the server; and no buffer leaks (paranoid detection).
 *
 * <p>{@code -Dasyncrpc.fuzz.connections=N} and {@code -Dasyncrpc.fuzz.seed=S} change the run; the
 * seed of each run is printed, so that a failure can be replayed.
 */
class SocketFuzzTests {

    static final int MAX_FRAME_SIZE = 64 * 1024;

    static final int FRAMES_PER_CONNECTION = 300;

    static final Duration CONNECTION_BOUND = Duration.ofSeconds(20);

    static final Duration PROBE_BOUND = Duration.ofSeconds(5);

    static final Duration RUN_BOUND = Duration.ofMinutes(4);

    /** Shares of mutated frames, one chosen per connection: a few mutations reach deep, many test the edges. */
    static final double[] RATES = { 0.002, 0.01, 0.05, 0.2, 0.6, 0.9 };

    /** What became of one connection. */
    enum Outcome {
        ANSWERED, CLOSED, HUNG
    }

    @Test
    void mutatedFramesOverManyConnectionsCrashHangAndLeakNothing() throws Exception {
        int connections = Integer.getInteger("asyncrpc.fuzz.connections", 1000);
        long seed = Long.getLong("asyncrpc.fuzz.seed", System.nanoTime());
        System.out.println("SocketFuzzTests: seed " + seed + " (-Dasyncrpc.fuzz.seed), " + connections + " connections");
        AsyncRpcServer server = AsyncRpcServer.builder().host("127.0.0.1").port(0).maxFrameSize(MAX_FRAME_SIZE).pipeWindow(4096)
                .service(new PlainCalc()).service(new FuzzPipes.Endpoint()).build().start();
        ExecutorService peers = Executors.newFixedThreadPool(8);
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor();
        AtomicBoolean probing = new AtomicBoolean(true);
        ProbeResult probe = new ProbeResult();
        Thread prober = new Thread(() -> probe(server, probing, probe), "fuzz-probe");
        long start = System.nanoTime();
        List<Stats> perThread = new ArrayList<>();
        try {
            prober.start();
            assertThat(probe.ready.await(60, TimeUnit.SECONDS)).as("probe client ready").isTrue();
            AtomicInteger next = new AtomicInteger();
            List<Future<Stats>> runs = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                long threadSeed = seed + t;
                runs.add(peers.submit(() -> {
                    Stats stats = new Stats(new FrameMutator(new Random(threadSeed)));
                    Random choice = new Random(threadSeed ^ 0x5DEECE66DL);
                    int i;
                    while ((i = next.getAndIncrement()) < connections && System.nanoTime() - start < RUN_BOUND.toNanos()) {
                        stats.record(connect(server.port(), i, stats, RATES[choice.nextInt(RATES.length)], watchdog));
                    }
                    return stats;
                }));
            }
            for (Future<Stats> run : runs) {
                perThread.add(run.get(RUN_BOUND.toSeconds() + 60, TimeUnit.SECONDS));
            }
            probing.set(false);
            prober.join(PROBE_BOUND.toMillis() * 2);

            try (AsyncRpcClient fresh = AsyncRpcClient.builder().address(server.address()).build()) {
                assertThat(fresh.proxy(Calc.class, CallOptions.DEFAULT.withTimeout(PROBE_BOUND)).add(40, 2)).as("a fresh call at the end").isEqualTo(42);
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while ((server.connections() > 0 || server.activeCalls() > 0 || !server.openPipes().isEmpty()) && System.nanoTime() < deadline) {
                Thread.sleep(20); // the server sees the last closes on its own loops; nothing to await on
            }
            Stats total = Stats.sum(perThread);
            System.out.printf("SocketFuzzTests: %d connections (%d answered, %d closed by the server, %d hung), %d frames of which %d mutated %s,"
                    + " %d frames back (%d REPLY, %d ERROR, %d GOAWAY), %d probe calls, %.1f s%n", total.connections, total.answered, total.closed,
                    total.hung, total.frames, total.mutated, Stats.kinds(perThread), total.framesBack, total.replies, total.errors,
                    total.goAways, probe.calls.get(), (System.nanoTime() - start) / 1e9);

            System.out.println("SocketFuzzTests: GOAWAY messages " + total.goAwayReasons);
            assertThat(total.connections).as("connections made within " + RUN_BOUND).isEqualTo(connections);
            assertThat(total.hung).as("connections neither answered nor closed within " + CONNECTION_BOUND + ": " + total.hungSeeds).isZero();
            assertThat(probe.failures).as("probe calls that failed or took over " + PROBE_BOUND).isEmpty();
            assertThat(probe.calls.get()).as("probe calls").isPositive();
            assertThat(server.connections()).as("connections left on the server").isZero();
            assertThat(server.activeCalls()).as("calls left in progress").isZero();
            assertThat(server.openPipes()).as("open pipes left").isEmpty();
        }
        finally {
            probing.set(false);
            peers.shutdownNow();
            watchdog.shutdownNow();
            server.close();
        }
    }

    /** One connection: send its stream, a completion and a PING, then read until the PONG or the close. */
    private static Outcome connect(int port, int index, Stats stats, double rate, ScheduledExecutorService watchdog) throws IOException {
        byte[] stream = stats.mutator.connection(FRAMES_PER_CONNECTION, rate);
        byte[] completion = FrameMutator.completion(stream, MAX_FRAME_SIZE);
        byte[] ping = ByteBuffer.allocate(18).putInt(14).put((byte) 0x30).put((byte) 0).putInt(0).putLong(0x5EED_0000_0000L | index).array();
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        AtomicBoolean timedOut = new AtomicBoolean();
        // a write can block as long as the server does not read: the watchdog bounds the whole exchange
        ScheduledFuture<?> alarm = watchdog.schedule(() -> {
            timedOut.set(true);
            close(socket);
        }, CONNECTION_BOUND.toMillis(), TimeUnit.MILLISECONDS);
        try (socket) {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout((int) CONNECTION_BOUND.toMillis());
            stats.sentBytes += stream.length;
            try {
                OutputStream out = socket.getOutputStream();
                out.write(stream);
                out.write(completion);
                out.write(ping);
                out.flush();
            }
            catch (SocketException ex) {
                // the server closed while we wrote (after a protocol error): read what it sent first
            }
            DataInputStream in = new DataInputStream(socket.getInputStream());
            while (true) {
                int length;
                try {
                    length = in.readInt();
                }
                catch (EOFException | SocketException ex) {
                    return timedOut.get() ? Outcome.HUNG : Outcome.CLOSED;
                }
                catch (SocketTimeoutException ex) {
                    return Outcome.HUNG;
                }
                byte[] frame = new byte[length];
                try {
                    in.readFully(frame);
                }
                catch (EOFException | SocketException ex) {
                    return timedOut.get() ? Outcome.HUNG : Outcome.CLOSED;
                }
                stats.frameBack(frame[0]);
                if (frame[0] == 0x32 && frame.length >= 14) {
                    stats.goAway(frame);
                }
                if (frame[0] == 0x31 && length == 14 && ByteBuffer.wrap(frame, 6, 8).getLong() == (0x5EED_0000_0000L | index)) {
                    countStragglers(socket, in, stats);
                    return Outcome.ANSWERED;
                }
            }
        }
        catch (SocketTimeoutException ex) {
            return Outcome.HUNG;
        }
        finally {
            alarm.cancel(false);
        }
    }

    /** Count what the server still sends within 100 ms of the PONG (replies of calls on workers), for the figures. */
    private static void countStragglers(Socket socket, DataInputStream in, Stats stats) throws IOException {
        socket.setSoTimeout(100);
        try {
            while (true) {
                byte[] frame = new byte[in.readInt()];
                in.readFully(frame);
                stats.frameBack(frame[0]);
            }
        }
        catch (SocketTimeoutException | EOFException | SocketException ex) {
            // done counting
        }
    }

    private static void close(Socket socket) {
        try {
            socket.close();
        }
        catch (IOException ex) {
            // closing to end a hung exchange
        }
    }

    /** Calls {@code calc/add} on a fresh connection-sharing client every 100 ms while the fuzzer runs. */
    private static void probe(AsyncRpcServer server, AtomicBoolean probing, ProbeResult result) {
        try (AsyncRpcClient client = AsyncRpcClient.builder().address(server.address()).build()) {
            client.proxy(Calc.class).add(0, 0); // connected and warm before the fuzzing starts
            result.ready.countDown();
            Calc calc = client.proxy(Calc.class, CallOptions.DEFAULT.withTimeout(PROBE_BOUND));
            int i = 0;
            while (probing.get()) {
                long t = System.nanoTime();
                try {
                    int sum = calc.add(i, 1);
                    if (sum != i + 1) {
                        result.failures.add("add(" + i + ", 1) = " + sum);
                    }
                }
                catch (RuntimeException ex) {
                    result.failures.add("add(" + i + ", 1) after " + (System.nanoTime() - t) / 1_000_000 + " ms: " + ex);
                }
                result.calls.incrementAndGet();
                i++;
                Thread.sleep(100); // a steady trickle of probes, not a load
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    static final class ProbeResult {
        final AtomicLong calls = new AtomicLong();
        final java.util.concurrent.CountDownLatch ready = new java.util.concurrent.CountDownLatch(1);
        final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    }

    /** Counts of one peer thread. */
    static final class Stats {
        final FrameMutator mutator;
        long connections;
        long frames;
        long mutated;
        long answered;
        long closed;
        long hung;
        long sentBytes;
        long framesBack;
        long replies;
        long errors;
        long goAways;
        final List<Integer> hungSeeds = new ArrayList<>();

        Stats(FrameMutator mutator) {
            this.mutator = mutator;
        }

        final java.util.Map<String, Integer> goAwayReasons = new java.util.TreeMap<>();

        void goAway(byte[] frame) {
            int len = ((frame[12] & 0xff) << 8) | (frame[13] & 0xff);
            String message = new String(frame, 14, Math.min(len, frame.length - 14), java.nio.charset.StandardCharsets.UTF_8)
                    .replaceAll("[0-9]+", "N");
            this.goAwayReasons.merge(message.length() > 60 ? message.substring(0, 60) : message, 1, Integer::sum);
        }

        void frameBack(byte type) {
            this.framesBack++;
            switch (type) {
                case 0x11 -> this.replies++;
                case 0x12 -> this.errors++;
                case 0x32 -> this.goAways++;
                default -> { }
            }
        }

        void record(Outcome outcome) {
            this.connections++;
            switch (outcome) {
                case ANSWERED -> this.answered++;
                case CLOSED -> this.closed++;
                default -> {
                    this.hung++;
                    this.hungSeeds.add((int) this.connections);
                }
            }
        }

        static String kinds(List<Stats> all) {
            StringBuilder b = new StringBuilder("(");
            for (FrameMutator.Kind kind : FrameMutator.Kind.values()) {
                long n = 0;
                for (Stats s : all) {
                    n += s.mutator.count(kind);
                }
                b.append(b.length() > 1 ? ", " : "").append(kind.name().toLowerCase()).append(' ').append(n);
            }
            return b.append(')').toString();
        }

        static Stats sum(List<Stats> all) {
            Stats total = new Stats(null);
            for (Stats s : all) {
                total.frames += s.mutator.frames();
                total.mutated += s.mutator.mutated();
                total.connections += s.connections;
                total.answered += s.answered;
                total.closed += s.closed;
                total.hung += s.hung;
                total.sentBytes += s.sentBytes;
                total.framesBack += s.framesBack;
                total.replies += s.replies;
                total.errors += s.errors;
                total.goAways += s.goAways;
                total.hungSeeds.addAll(s.hungSeeds);
                s.goAwayReasons.forEach((k, v) -> total.goAwayReasons.merge(k, v, Integer::sum));
            }
            return total;
        }
    }
}
