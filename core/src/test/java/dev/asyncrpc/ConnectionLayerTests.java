package dev.asyncrpc;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.asyncrpc.test.ConnProbe;
import dev.asyncrpc.test.ConnProbeEndpoint;
import dev.asyncrpc.test.RawConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static dev.asyncrpc.test.RawConnection.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The connection layer against real sockets (issue 10): limits, timeouts, GOAWAY then close, replies
 * that fit the client's MAX_FRAME_SIZE, protocol errors counted, FAILED on an Error.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ConnectionLayerTests {

    /** HELLO announcing MAX_FRAME_SIZE 1024 (otherwise the defaults). */
    static final String HELLO_1024 = "00000026 01 00 00000000 41525043 0001 0004 0001 00000400 0002 000186a0 0003 00100000 0004 00002000";

    private static AsyncRpcServer.Builder server() {
        return AsyncRpcServer.builder().host("127.0.0.1").port(0).service(new ConnProbeEndpoint());
    }

    /** A CALL frame of {@code operation} with the given encoded arguments (count u8, then length-prefixed values). */
    static byte[] call(int id, String operation, byte[]... args) {
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        byte[] name = operation.getBytes(StandardCharsets.UTF_8);
        payload.write(name.length >> 8);
        payload.write(name.length);
        payload.writeBytes(name);
        payload.write(args.length);
        for (byte[] a : args) {
            payload.writeBytes(ByteBuffer.allocate(4).putInt(a.length).array());
            payload.writeBytes(a);
        }
        byte[] p = payload.toByteArray();
        return ByteBuffer.allocate(10 + p.length).putInt(6 + p.length).put((byte) 0x10).put((byte) 0).putInt(id).put(p).array();
    }

    static byte[] cborInt(int value) {
        return ByteBuffer.allocate(5).put((byte) 0x1a).putInt(value).array();
    }

    static RawConnection handshake(int port, String hello) throws IOException {
        RawConnection raw = RawConnection.connect(port);
        raw.send(hex(hello));
        assertThat(raw.readFrame()[4]).isEqualTo((byte) 0x02); // HELLO_ACK
        return raw;
    }

    /** GOAWAY fields: status code and message. */
    record GoAway(int status, String message) {
        static GoAway of(byte[] frame) {
            assertThat(frame[4]).as("frame type GOAWAY").isEqualTo((byte) 0x32);
            ByteBuffer b = ByteBuffer.wrap(frame, 10, frame.length - 10);
            b.getInt();
            int status = b.getShort() & 0xFFFF;
            byte[] text = new byte[b.getShort() & 0xFFFF];
            b.get(text);
            return new GoAway(status, new String(text, StandardCharsets.UTF_8));
        }
    }

    @Test
    void aReplyAboveTheClientsMaxFrameSizeBecomesAnErrorNamingTheSizeAndTheLimit() throws Exception {
        try (AsyncRpcServer server = server().build().start(); RawConnection raw = handshake(server.port(), HELLO_1024)) {
            raw.send(call(1, "probe/blob", cborInt(2000)));
            byte[] frame = raw.readFrame();
            assertThat(frame[4]).as("ERROR").isEqualTo((byte) 0x12);
            assertThat(frame.length - 4).isLessThanOrEqualTo(1024);
            String message = new String(frame, 14, frame.length - 14, StandardCharsets.UTF_8);
            assertThat(ByteBuffer.wrap(frame, 10, 2).getShort()).isEqualTo((short) Status.RESOURCE_EXHAUSTED.code());
            assertThat(message).contains("probe/blob").contains("MAX_FRAME_SIZE of 1024 bytes").containsPattern("frame of 20\\d\\d bytes");
            raw.send(call(2, "probe/blob", cborInt(100)));
            assertThat(raw.readFrame()[4]).as("the connection still serves: REPLY").isEqualTo((byte) 0x11);
        }
    }

    @Test
    void connectionsBeyondTheCapAreRefusedWithAGoAwayThatArrives() throws Exception {
        try (AsyncRpcServer server = server().maxConnections(2).build().start();
                RawConnection a = handshake(server.port(), GoldenFrameTests.HELLO);
                RawConnection b = handshake(server.port(), GoldenFrameTests.HELLO);
                RawConnection c = RawConnection.connect(server.port())) {
            c.send(hex(GoldenFrameTests.HELLO));
            GoAway refused = GoAway.of(c.readFrame());
            assertThat(refused.status()).isEqualTo(Status.RESOURCE_EXHAUSTED.code());
            assertThat(refused.message()).contains("connection limit (maxConnections 2)");
            assertThat(c.awaitClosed()).isTrue();
            assertThat(server.refusedConnections()).isEqualTo(1);
            a.send(call(1, "probe/echo", new byte[] { 0x61, 0x78 })); // "x" as CBOR text
            assertThat(a.readFrame()[4]).isEqualTo((byte) 0x11);
        }
        assertThatThrownBy(() -> AsyncRpcServer.builder().maxConnections(0)).hasMessage("maxConnections: 0 (expected: > 0)");
    }

    @Test
    void aMalformedFrameGetsOneGoAwayInProtocolTermsThatArrivesDespiteUnreadInputAndIsCounted() throws Exception {
        try (AsyncRpcServer server = server().build().start(); RawConnection raw = handshake(server.port(), GoldenFrameTests.HELLO)) {
            // a CALL whose flags announce a deadline that the payload does not carry
            byte[] name = "probe/echo".getBytes(StandardCharsets.UTF_8);
            ByteBuffer bad = ByteBuffer.allocate(10 + 2 + name.length).putInt(6 + 2 + name.length).put((byte) 0x10).put((byte) 0x01).putInt(1)
                    .putShort((short) name.length).put(name);
            byte[] junk = new byte[256 * 1024]; // more input the server never reads: no reset may overtake the GOAWAY
            ByteBuffer.wrap(junk).putInt(0, 6).put(4, (byte) 0x30);
            raw.send(bad.array());
            raw.send(junk);
            GoAway goAway = GoAway.of(raw.readFrame());
            assertThat(goAway.status()).isEqualTo(Status.PROTOCOL_ERROR.code());
            assertThat(goAway.message()).isEqualTo("malformed CALL frame: its payload of 12 bytes ends before the fields it announces");
            assertThat(goAway.message()).doesNotContain("Buf").doesNotContain("readerIndex");
            assertThat(raw.awaitClosed()).isTrue(); // and no second GOAWAY before the end
            assertThat(server.protocolErrors()).containsEntry("malformed-frame", 1L);
        }
    }

    @Test
    void theHandshakeTimeoutIsConfigurable() throws Exception {
        try (AsyncRpcServer server = server().handshakeTimeout(Duration.ofMillis(300)).build().start();
                RawConnection raw = RawConnection.connect(server.port())) {
            long start = System.nanoTime();
            GoAway goAway = GoAway.of(raw.readFrame());
            assertThat(goAway.message()).isEqualTo("no HELLO within the handshake timeout of 300 ms");
            assertThat(raw.awaitClosed()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
        }
    }

    @Test
    void aFrameThatStopsHalfWayIsDroppedAfterTheFrameReadTimeoutAndItsMemoryReleased() throws Exception {
        try (AsyncRpcServer server = server().frameReadTimeout(Duration.ofMillis(500)).build().start();
                RawConnection raw = handshake(server.port(), GoldenFrameTests.HELLO)) {
            byte[] big = call(1, "probe/hold", new byte[400_000]);
            raw.send(java.util.Arrays.copyOf(big, 200_000));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (server.memoryBudgetUsed() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(5); // polling a gauge until the partial frame shows
            }
            assertThat(server.memoryBudgetUsed()).as("the incomplete frame is charged").isEqualTo(big.length);
            GoAway goAway = GoAway.of(raw.readFrame());
            assertThat(goAway.status()).isEqualTo(Status.UNAVAILABLE.code());
            assertThat(goAway.message()).contains("a frame of " + big.length + " bytes did not arrive completely within the frame read timeout of 500 ms");
            assertThat(raw.awaitClosed()).isTrue();
            while (server.memoryBudgetUsed() != 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(server.memoryBudgetUsed()).isZero();
        }
    }

    @Test
    void callsWhoseArgumentsDoNotFitTheMemoryBudgetAreRefusedUntouched() throws Exception {
        ConnProbeEndpoint endpoint = new ConnProbeEndpoint();
        try (AsyncRpcServer server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(endpoint).workerThreads(1)
                .memoryBudget(128 * 1024).build().start();
                AsyncRpcClient client = AsyncRpcClient.builder().address(server.address()).build()) {
            ConnProbe probe = client.proxy(ConnProbe.class);
            List<CompletableFuture<Integer>> held = new ArrayList<>();
            held.add(CompletableFuture.supplyAsync(() -> probe.hold(new byte[50_000])));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while ((server.activeCalls() < 1 || server.memoryBudgetUsed() != 0) && System.nanoTime() < deadline) {
                Thread.sleep(5); // until the first call runs (its arguments decoded): the only worker is taken
            }
            for (int i = 1; i <= 3; i++) {
                int n = i;
                held.add(CompletableFuture.supplyAsync(() -> probe.hold(new byte[50_000 + n])));
            }
            // two wait in the executor holding 100 KB of the 128 KiB budget; the third does not fit
            RemoteCallException refused = null;
            while (refused == null && System.nanoTime() < deadline) {
                for (CompletableFuture<Integer> f : held) {
                    if (f.isCompletedExceptionally()) {
                        refused = (RemoteCallException) f.handle((v, ex) -> ex.getCause()).join();
                    }
                }
                Thread.sleep(5);
            }
            assertThat(refused).isNotNull();
            assertThat(refused.status()).isEqualTo(Status.RESOURCE_EXHAUSTED);
            assertThat(refused.getMessage()).contains("memory budget").contains("safe to retry");
            endpoint.release();
            int done = 0;
            for (CompletableFuture<Integer> f : held) {
                try {
                    assertThat(f.get(30, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(50_000);
                    done++;
                }
                catch (ExecutionException ex) {
                    // the refused one
                }
            }
            assertThat(done).isEqualTo(3);
            assertThat(server.memoryBudgetUsed()).isZero();
        }
    }

    @Test
    void aPeerThatReadsNoRepliesIsPausedThenClosedAfterTheWriteStallTimeoutWhileOthersAreServed() throws Exception {
        try (AsyncRpcServer server = server().writeStallTimeout(Duration.ofSeconds(1)).writeBufferWaterMarks(32 * 1024, 64 * 1024).build().start();
                AsyncRpcClient fresh = AsyncRpcClient.builder().address(server.address()).build();
                RawConnection raw = handshake(server.port(), GoldenFrameTests.HELLO)) {
            // 20,000 calls each asking for a 4 KB reply (80 MB), never reading a byte back
            ByteArrayOutputStream calls = new ByteArrayOutputStream();
            for (int i = 1; i <= 20_000; i++) {
                calls.writeBytes(call(i, "probe/blob", cborInt(4000)));
            }
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    raw.send(calls.toByteArray());
                }
                catch (IOException ex) {
                    // the server closed the connection while we were still sending: expected
                }
            });
            ConnProbe probe = fresh.proxy(ConnProbe.class);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (server.connections() > 1 || !writer.isDone()) {
                long start = System.nanoTime();
                assertThat(probe.echo("still here")).isEqualTo("still here");
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
                assertThat(System.nanoTime()).as("the stalled peer is closed in time").isLessThan(deadline);
                Thread.sleep(20);
            }
            while (server.activeCalls() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(5); // the closed connection's calls are released off the event loop
            }
            assertThat(server.activeCalls()).isZero();
        }
    }

    @Test
    void anErrorOnAnEventLoopMarksTheServerFailed() throws Exception {
        CallObserver failing = new CallObserver() {
            @Override
            public void onConnection(CallInfo.Side side, String peer, boolean open) {
                if (open) {
                    throw new OutOfMemoryError("simulated by the test");
                }
            }
        };
        java.util.List<Throwable> told = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.CountDownLatch toldOnce = new java.util.concurrent.CountDownLatch(1);
        try (AsyncRpcServer server = server().observer(failing).build().start(); RawConnection raw = RawConnection.connect(server.port())) {
            server.onFailure((failure) -> {
                told.add(failure);
                toldOnce.countDown();
            });
            assertThat(server.state()).isEqualTo(AsyncRpcServer.State.RUNNING);
            raw.send(hex(GoldenFrameTests.HELLO));
            assertThat(raw.awaitClosed()).isTrue();
            assertThat(server.state()).isEqualTo(AsyncRpcServer.State.FAILED);
            assertThat(server.failure()).get().isInstanceOf(OutOfMemoryError.class);
            assertThat(server.isAccepting()).isFalse();
            assertThat(toldOnce.await(10, TimeUnit.SECONDS)).as("the failure listener is told").isTrue();
            java.util.List<Throwable> late = new java.util.ArrayList<>();
            server.onFailure(late::add);
            assertThat(late).as("a listener registered after the failure runs at once").hasSize(1);
            assertThat(late.get(0)).isSameAs(server.failure().get());
        }
        assertThat(told).as("told once, of the first failure").hasSize(1).first().isInstanceOf(OutOfMemoryError.class);
    }

    @Test
    void anIdleConnectionIsClosedByTheServerAndTheClientReconnectsForItsNextCall() throws Exception {
        try (AsyncRpcServer server = server().idleTimeout(Duration.ofMillis(300)).build().start();
                AsyncRpcClient client = AsyncRpcClient.builder().address(server.address()).build()) {
            ConnProbe probe = client.proxy(ConnProbe.class);
            assertThat(probe.echo("one")).isEqualTo("one");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (server.connections() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(server.connections()).isZero();
            assertThat(probe.echo("two")).isEqualTo("two");
        }
    }

    @Test
    void theBoundAddressIsTheOneActuallyBound() {
        try (AsyncRpcServer server = AsyncRpcServer.builder().host("0.0.0.0").port(0).service(new ConnProbeEndpoint()).build().start()) {
            // all interfaces: 0.0.0.0 on an IPv4-only stack, [::] (IPv4 too) on a dual stack; never the 127.0.0.1 clients use
            assertThat(server.boundAddress()).isIn("0.0.0.0:" + server.port(), "[::]:" + server.port());
            assertThat(server.address()).isEqualTo("127.0.0.1:" + server.port());
        }
    }


}
