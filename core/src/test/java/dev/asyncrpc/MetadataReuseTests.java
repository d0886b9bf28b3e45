package dev.asyncrpc;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import dev.asyncrpc.test.Calc;
import dev.asyncrpc.test.CalcAsync;
import dev.asyncrpc.test.PlainCalc;
import dev.asyncrpc.test.RawConnection;
import org.junit.jupiter.api.Test;

import static dev.asyncrpc.test.RawConnection.hex;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Metadata reuse on the wire (docs/protocol.md, setting METADATA_REUSE, CALL flag SAME_METADATA):
 * the bytes a client sends to a server that announces it or not, and what a server makes of them.
 */
class MetadataReuseTests {

    /** HELLO of a peer that does not know METADATA_REUSE: the four settings of the first release. */
    static final String HELLO_WITHOUT_REUSE = "00000026 01 00 00000000 41525043 0001 0004 0001 01000000 0002 000186a0 0003 00100000 0004 00002000";

    static final String HELLO_ACK_WITHOUT_REUSE = "00000026 02 00 00000000 41525043 0001 0004 0001 01000000 0002 000186a0 0003 00100000 0004 00002000";

    /** calc/add(1, 2) as call 1 with the metadata block {k: v} (flag 0x04). */
    static final String CALL_ADD_METADATA_1 = "00000023 10 04 00000001 0008 63616c632f616464 0006 0001 6b 0001 76 02 00000001 01 00000001 02";

    /** calc/add(1, 2) as call 2 with the same metadata, not sent again (flag 0x08, no block). */
    static final String CALL_ADD_SAME_METADATA_2 = "0000001b 10 08 00000002 0008 63616c632f616464 02 00000001 01 00000001 02";

    static final String CALL_ADD_METADATA_2 = "00000023 10 04 00000002 0008 63616c632f616464 0006 0001 6b 0001 76 02 00000001 01 00000001 02";

    static final String REPLY_3_CALL_2 = "00000007 11 00 00000002 03";

    @Test
    void aClientSendsUnchangedMetadataOnceToAServerThatAnnouncesReuse() throws Exception {
        List<String> calls = twoCalls(GoldenFrameTests.HELLO_ACK);
        assertThat(calls).containsExactly(hex(hex(CALL_ADD_METADATA_1)), hex(hex(CALL_ADD_SAME_METADATA_2)));
    }

    @Test
    void aClientSendsTheMetadataOnEveryCallToAServerThatDoesNotAnnounceReuse() throws Exception {
        List<String> calls = twoCalls(HELLO_ACK_WITHOUT_REUSE);
        assertThat(calls).containsExactly(hex(hex(CALL_ADD_METADATA_1)), hex(hex(CALL_ADD_METADATA_2)));
    }

    @Test
    void aServerGivesAReusingCallThePreviousMetadata() throws Exception {
        List<Map<String, String>> seen = new CopyOnWriteArrayList<>();
        try (AsyncRpcServer server = server(seen); RawConnection raw = RawConnection.connect(server.port())) {
            raw.send(hex(GoldenFrameTests.HELLO));
            assertThat(hex(raw.readFrame())).endsWith("000500000001"); // HELLO_ACK announcing METADATA_REUSE
            raw.send(hex(CALL_ADD_METADATA_1));
            assertThat(hex(raw.readFrame())).isEqualTo(hex(hex(GoldenFrameTests.REPLY_3)));
            raw.send(hex(CALL_ADD_SAME_METADATA_2));
            assertThat(hex(raw.readFrame())).isEqualTo(hex(hex(REPLY_3_CALL_2)));
        }
        assertThat(seen).containsExactly(Map.of("k", "v"), Map.of("k", "v"));
    }

    @Test
    void reuseWithoutAPreviousBlockIsAProtocolError() throws Exception {
        try (AsyncRpcServer server = server(new CopyOnWriteArrayList<>()); RawConnection raw = RawConnection.connect(server.port())) {
            raw.send(hex(GoldenFrameTests.HELLO));
            raw.readFrame();
            raw.send(hex(CALL_ADD_SAME_METADATA_2));
            ConnectionLayerTests.GoAway goAway = ConnectionLayerTests.GoAway.of(raw.readFrame());
            assertThat(goAway.status()).isEqualTo(Status.PROTOCOL_ERROR.code());
            assertThat(goAway.message()).isEqualTo("CALL reuses the previous metadata, but no CALL carried metadata before on this connection");
            assertThat(raw.awaitClosed()).isTrue();
        }
    }

    @Test
    void reuseByAClientThatDidNotAnnounceItIsAProtocolError() throws Exception {
        try (AsyncRpcServer server = server(new CopyOnWriteArrayList<>()); RawConnection raw = RawConnection.connect(server.port())) {
            raw.send(hex(HELLO_WITHOUT_REUSE));
            raw.readFrame();
            raw.send(hex(CALL_ADD_METADATA_1));
            assertThat(hex(raw.readFrame())).isEqualTo(hex(hex(GoldenFrameTests.REPLY_3)));
            raw.send(hex(CALL_ADD_SAME_METADATA_2));
            ConnectionLayerTests.GoAway goAway = ConnectionLayerTests.GoAway.of(raw.readFrame());
            assertThat(goAway.status()).isEqualTo(Status.PROTOCOL_ERROR.code());
            assertThat(goAway.message()).isEqualTo("CALL reuses the previous metadata, but METADATA_REUSE was not negotiated");
        }
    }

    @Test
    void concurrentCallersWithDifferentMetadataEachArriveWithTheirOwn() throws Exception {
        Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
        int perCaller = 300;
        try (AsyncRpcServer server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(new PlainCalc())
                .interceptor(call -> {
                    counts.computeIfAbsent(call.metadata().getOrDefault("k", "none"), k -> new AtomicInteger()).incrementAndGet();
                    return null;
                }).build().start();
                AsyncRpcClient client = AsyncRpcClient.builder().address(server.address()).build()) {
            List<CalcAsync> callers = List.of(client.proxy(CalcAsync.class, CallOptions.DEFAULT.withMetadata("k", "a")),
                    client.proxy(CalcAsync.class, CallOptions.DEFAULT.withMetadata("k", "b".repeat(300))),
                    client.proxy(CalcAsync.class));
            List<CompletableFuture<Void>> threads = new ArrayList<>();
            for (CalcAsync caller : callers) {
                threads.add(CompletableFuture.runAsync(() -> {
                    List<CompletableFuture<Integer>> results = new ArrayList<>();
                    for (int i = 0; i < perCaller; i++) {
                        results.add(caller.add(i, 1).toCompletableFuture());
                    }
                    results.forEach(CompletableFuture::join);
                }));
            }
            threads.forEach(CompletableFuture::join);
        }
        assertThat(counts).hasSize(3);
        assertThat(counts.get("a")).hasValue(perCaller);
        assertThat(counts.get("b".repeat(300))).hasValue(perCaller);
        assertThat(counts.get("none")).hasValue(perCaller);
    }

    private static AsyncRpcServer server(List<Map<String, String>> seen) {
        return AsyncRpcServer.builder().host("127.0.0.1").port(0).service(new PlainCalc()).interceptor(call -> {
            seen.add(call.metadata());
            return null;
        }).build().start();
    }

    /** Two calls with metadata {k: v} to a hand-written server answering the handshake with {@code helloAck}. */
    private static List<String> twoCalls(String helloAck) throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<List<String>> captured = CompletableFuture.supplyAsync(() -> {
                try (RawConnection raw = new RawConnection(listener.accept())) {
                    raw.readFrame();
                    raw.send(hex(helloAck));
                    List<String> calls = new ArrayList<>();
                    calls.add(hex(raw.readFrame()));
                    raw.send(hex(GoldenFrameTests.REPLY_3));
                    calls.add(hex(raw.readFrame()));
                    raw.send(hex(REPLY_3_CALL_2));
                    return calls;
                }
                catch (Exception ex) {
                    throw new IllegalStateException(ex);
                }
            });
            try (AsyncRpcClient client = AsyncRpcClient.builder().address("127.0.0.1:" + listener.getLocalPort()).ordering(Ordering.NONCAUSAL).build()) {
                Calc calc = client.proxy(Calc.class, CallOptions.DEFAULT.withMetadata("k", "v"));
                assertThat(calc.add(1, 2)).isEqualTo(3);
                assertThat(calc.add(1, 2)).isEqualTo(3);
            }
            return captured.get();
        }
    }
}
