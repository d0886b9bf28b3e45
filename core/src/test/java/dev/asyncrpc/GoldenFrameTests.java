package dev.asyncrpc;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.CompletableFuture;

import dev.asyncrpc.test.AsyncCalc;
import dev.asyncrpc.test.Calc;
import dev.asyncrpc.test.CalcAsync;
import dev.asyncrpc.test.PlainCalc;
import dev.asyncrpc.test.RawConnection;
import org.junit.jupiter.api.Test;

import static dev.asyncrpc.test.RawConnection.hex;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pins the bytes of protocol v1 (docs/protocol.md) and proves that {@code @AsyncRemote} never
 * changes the wire: plain and async stubs send identical CALL frames, plain and async
 * implementations send identical REPLY and ERROR frames.
 */
class GoldenFrameTests {

    /**
     * HELLO with the default settings: frame size 16 MiB, 100,000 calls, pipe window 1 MiB, metadata
     * 8 KiB, metadata reuse on (see {@link MetadataReuseTests} for a peer without the last one).
     */
    static final String HELLO = "0000002c 01 00 00000000 41525043 0001 0005 0001 01000000 0002 000186a0 0003 00100000 0004 00002000 0005 00000001";

    static final String HELLO_ACK = "0000002c 02 00 00000000 41525043 0001 0005 0001 01000000 0002 000186a0 0003 00100000 0004 00002000 0005 00000001";

    /** calc/add(1, 2) as call 1: name, two CBOR-encoded arguments with u32 lengths. */
    static final String CALL_ADD = "0000001b 10 00 00000001 0008 63616c632f616464 02 00000001 01 00000001 02";

    /** The value 3 (CBOR 0x03) for call 1. */
    static final String REPLY_3 = "00000007 11 00 00000001 03";

    /** calc/fail("x") as call 1: CBOR text string "x" is 0x61 0x78. */
    static final String CALL_FAIL = "00000018 10 00 00000001 0009 63616c632f6661696c 01 00000002 6178";

    /** APPLICATION_ERROR (9) with message "x" for call 1. */
    static final String ERROR_X = "0000000b 12 00 00000001 0009 0001 78";

    /** calc/touch(null): a null argument has length 0xffffffff. */
    static final String CALL_TOUCH_NULL = "00000017 10 00 00000001 000a 63616c632f746f756368 01 ffffffff";

    /** A void operation's reply: flag NULL, empty payload. */
    static final String REPLY_VOID = "00000006 11 01 00000001";

    /** calc/add(1, 2) with causal ordering (flag 0x02) and a 5 s deadline (flag 0x01); the key is the thread's. */
    static final String CALL_ADD_CAUSAL_DEADLINE_PREFIX = "00000023 10 03 00000001 0008 63616c632f616464";

    @Test
    void plainAndAsyncStubsSendIdenticalCallFrames() throws Exception {
        byte[] plain = captureCall(Ordering.NONCAUSAL, client -> client.proxy(Calc.class).add(1, 2));
        byte[] async = captureCall(Ordering.NONCAUSAL, client -> client.proxy(CalcAsync.class).add(1, 2).join());
        assertThat(hex(plain)).isEqualTo(hex(hex(CALL_ADD)));
        assertThat(hex(async)).isEqualTo(hex(plain));
    }

    @Test
    void causalCallsFromOneThreadCarryTheSameKeyWhateverTheStub() throws Exception {
        CallOptions options = CallOptions.DEFAULT.withTimeout(java.time.Duration.ofSeconds(5));
        byte[] plain = captureCall(Ordering.CAUSAL, client -> client.proxy(Calc.class, options).add(1, 2));
        byte[] async = captureCall(Ordering.CAUSAL, client -> client.proxy(CalcAsync.class, options).add(1, 2).join());
        assertThat(hex(plain)).startsWith(hex(hex(CALL_ADD_CAUSAL_DEADLINE_PREFIX)));
        long timeoutMillis = java.nio.ByteBuffer.wrap(plain, 20, 4).getInt() & 0xFFFFFFFFL;
        assertThat(timeoutMillis).isBetween(4_000L, 5_000L);
        long id = Thread.currentThread().getId();
        assertThat(java.nio.ByteBuffer.wrap(plain, 24, 4).getInt()).isEqualTo((int) (id ^ (id >>> 32)));
        // the same bytes but for the time left, which is measured when each frame is sent
        assertThat(hex(java.util.Arrays.copyOfRange(async, 24, async.length))).isEqualTo(hex(java.util.Arrays.copyOfRange(plain, 24, plain.length)));
        assertThat(hex(java.util.Arrays.copyOfRange(async, 0, 20))).isEqualTo(hex(java.util.Arrays.copyOfRange(plain, 0, 20)));
    }

    @Test
    void nullArgumentsHaveTheNullLength() throws Exception {
        byte[] plain = captureCall(Ordering.NONCAUSAL, client -> {
            client.proxy(Calc.class).touch(null);
            return null;
        });
        assertThat(hex(plain)).isEqualTo(hex(hex(CALL_TOUCH_NULL)));
    }

    @Test
    void plainAndAsyncImplementationsSendIdenticalReplies() throws Exception {
        for (Object impl : new Object[] { new PlainCalc(), new AsyncCalc() }) {
            assertThat(hex(exchange(impl, CALL_ADD))).as(impl.getClass().getSimpleName()).isEqualTo(hex(hex(REPLY_3)));
            assertThat(hex(exchange(impl, CALL_FAIL))).as(impl.getClass().getSimpleName()).isEqualTo(hex(hex(ERROR_X)));
            assertThat(hex(exchange(impl, CALL_TOUCH_NULL))).as(impl.getClass().getSimpleName()).isEqualTo(hex(hex(REPLY_VOID)));
        }
    }

    @Test
    void serverAnswersTheHandshakeWithItsSettings() throws Exception {
        try (AsyncRpcServer server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(new PlainCalc()).maxConcurrentCalls(100_000)
                .build().start();
                RawConnection raw = RawConnection.connect(server.port())) {
            raw.send(hex(HELLO));
            assertThat(hex(raw.readFrame())).isEqualTo(hex(hex(HELLO_ACK)));
        }
    }

    /** Send one CALL to a real server and return its reply frame. */
    private static byte[] exchange(Object implementation, String call) throws Exception {
        try (AsyncRpcServer server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(implementation).build().start();
                RawConnection raw = RawConnection.connect(server.port())) {
            raw.send(hex(HELLO));
            raw.readFrame();
            raw.send(hex(call));
            return raw.readFrame();
        }
    }

    interface ClientAction {
        Object run(AsyncRpcClient client) throws Exception;
    }

    /** Run {@code action} against a hand-written server that records the first CALL and answers it. */
    private static byte[] captureCall(Ordering ordering, ClientAction action) throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<byte[]> captured = CompletableFuture.supplyAsync(() -> {
                try (RawConnection raw = new RawConnection(listener.accept())) {
                    assertThat(hex(raw.readFrame())).isEqualTo(hex(hex(HELLO)));
                    raw.send(hex(HELLO_ACK));
                    byte[] call = raw.readFrame();
                    boolean isVoid = new String(call, java.nio.charset.StandardCharsets.ISO_8859_1).contains("touch");
                    raw.send(hex(isVoid ? REPLY_VOID : REPLY_3));
                    return call;
                }
                catch (Exception ex) {
                    throw new IllegalStateException(ex);
                }
            });
            try (AsyncRpcClient client = AsyncRpcClient.builder().address("127.0.0.1:" + listener.getLocalPort()).ordering(ordering).build()) {
                action.run(client);
            }
            return captured.get();
        }
    }
}
