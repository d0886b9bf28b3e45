package dev.asyncrpc;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.asyncrpc.test.RawConnection;
import org.junit.jupiter.api.Test;

import static dev.asyncrpc.GoldenFrameTests.HELLO;
import static dev.asyncrpc.GoldenFrameTests.HELLO_ACK;
import static dev.asyncrpc.test.RawConnection.hex;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pins the bytes of the pipe frames (docs/protocol.md section 4) in the style of
 * {@link GoldenFrameTests}, and shows that a peer overrunning its credit is disconnected with
 * PROTOCOL_ERROR while other connections keep working.
 */
class PipeGoldenFrameTests {

    /** p/up("a") as call 1: the tag is the only CALL argument; the in-pipe travels apart. */
    static final String CALL_UP = "00000013 10 00 00000001 0004 702f7570 01 00000002 6161";

    /** Pipe 0 of call 1 carries the ints 1 and 2 (CBOR 0x01, 0x02), each with its i32 length. */
    static final String PIPE_DATA_1_2 = "00000013 20 00 00000001 00 0002 00000001 01 00000001 02";

    /** Pipe 0 of call 1 is closed: the zero-element push. */
    static final String PIPE_END_0 = "00000008 21 00 00000001 00 00";

    /** Pipe 0 of call 1 is aborted with INVALID_ARGUMENT (5) "x". */
    static final String PIPE_END_ABORTED = "0000000d 21 00 00000001 00 01 0005 0001 78";

    /** The value 3 for call 1. */
    static final String REPLY_3 = "00000007 11 00 00000001 03";

    /** p/down(2) as call 1. */
    static final String CALL_DOWN = "00000014 10 00 00000001 0006 702f646f776e 01 00000001 02";

    /** The ints 0 and 1 on pipe 0 of call 1. */
    static final String PIPE_DATA_0_1 = "00000013 20 00 00000001 00 0002 00000001 00 00000001 01";

    static final String REPLY_VOID = "00000006 11 01 00000001";

    /** p/bytes() as call 1: no CALL arguments at all. */
    static final String CALL_BYTES = "00000010 10 00 00000001 0007 702f6279746573 00";

    /** p/hold() as call 1: an implementation that never pulls. */
    static final String CALL_HOLD = "0000000f 10 00 00000001 0006 702f686f6c64 00";

    /** One byte[] element of 509 bytes (0x1fd) on pipe 0: raw bytes, no CBOR header; 516 payload bytes. */
    static final String PIPE_DATA_509 = "0000020a 20 00 00000001 00 0001 000001fd" + "ab".repeat(509);

    /** 516 (0x204) bytes of credit back for pipe 0 of call 1, once half a 1024-byte window was consumed. */
    static final String CREDIT_516 = "0000000b 22 00 00000001 00 00000204";

    /** The value 509 (CBOR 0x19 0x01fd) for call 1. */
    static final String REPLY_509 = "00000009 11 00 00000001 1901fd";

    /** HELLO_ACK of a server whose pipe window is 1024 bytes (setting 3). */
    static final String HELLO_ACK_SMALL_WINDOW = HELLO_ACK.replace("0003 00100000", "0003 00000400");

    @RemoteService("p")
    public interface P {
        int up(String tag, InPipe<Integer> xs);

        void down(int n, OutPipe<Integer> xs);

        int bytes(InPipe<byte[]> chunks);

        @AsyncRemote
        CompletableFuture<Integer> hold(InPipe<byte[]> chunks);
    }

    static final class PEndpoint implements P {
        @Override
        public int up(String tag, InPipe<Integer> xs) {
            int sum = 0;
            for (int x : xs) {
                sum += x;
            }
            return sum;
        }

        @Override
        public void down(int n, OutPipe<Integer> xs) {
            List<Integer> all = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                all.add(i);
            }
            xs.push(all);
            xs.close();
        }

        @Override
        public int bytes(InPipe<byte[]> chunks) {
            int n = 0;
            for (byte[] c : chunks) {
                n += c.length;
            }
            return n;
        }

        @Override
        public CompletableFuture<Integer> hold(InPipe<byte[]> chunks) {
            return new CompletableFuture<>(); // never pulls
        }
    }

    @Test
    void callerSendsTheCallThenInPipeDataThenTheEnd() throws Exception {
        List<byte[]> frames = capture(4, client -> {
            InPipe<Integer> xs = InPipe.create();
            xs.push(1, 2);
            xs.close();
            return client.proxy(P.class).up("a", xs);
        });
        assertThat(hex(frames.get(1))).isEqualTo(hex(hex(CALL_UP)));
        assertThat(hex(frames.get(2))).isEqualTo(hex(hex(PIPE_DATA_1_2)));
        assertThat(hex(frames.get(3))).isEqualTo(hex(hex(PIPE_END_0)));
    }

    @Test
    void anAbortedPipeEndsWithItsStatus() throws Exception {
        List<byte[]> frames = capture(3, client -> {
            InPipe<Integer> xs = InPipe.create();
            xs.abort(new RemoteCallException(Status.INVALID_ARGUMENT, "x"));
            return client.proxy(P.class).up("a", xs);
        });
        assertThat(hex(frames.get(1))).isEqualTo(hex(hex(CALL_UP)));
        assertThat(hex(frames.get(2))).isEqualTo(hex(hex(PIPE_END_ABORTED)));
    }

    @Test
    void implementerSendsOutPipeDataAndTheEndBeforeTheReply() throws Exception {
        try (AsyncRpcServer server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(new PEndpoint()).build().start();
                RawConnection raw = RawConnection.connect(server.port())) {
            raw.send(hex(HELLO));
            raw.readFrame();
            raw.send(hex(CALL_DOWN));
            assertThat(hex(raw.readFrame())).isEqualTo(hex(hex(PIPE_DATA_0_1)));
            assertThat(hex(raw.readFrame())).isEqualTo(hex(hex(PIPE_END_0)));
            assertThat(hex(raw.readFrame())).isEqualTo(hex(hex(REPLY_VOID)));
        }
    }

    @Test
    void receiverGrantsCreditOnceHalfItsWindowIsConsumedAndBytesTravelRaw() throws Exception {
        try (AsyncRpcServer server = AsyncRpcServer.builder().host("127.0.0.1").port(0).pipeWindow(1024).maxConcurrentCalls(100_000)
                .service(new PEndpoint()).build().start();
                RawConnection raw = RawConnection.connect(server.port())) {
            raw.send(hex(HELLO));
            assertThat(hex(raw.readFrame())).isEqualTo(hex(hex(HELLO_ACK_SMALL_WINDOW)));
            raw.send(hex(CALL_BYTES));
            raw.send(hex(PIPE_DATA_509));
            assertThat(hex(raw.readFrame())).isEqualTo(hex(hex(CREDIT_516)));
            raw.send(hex(PIPE_END_0));
            assertThat(hex(raw.readFrame())).isEqualTo(hex(hex(REPLY_509)));
        }
    }

    @Test
    void peerThatIgnoresCreditIsDisconnectedWithProtocolErrorAndOtherConnectionsKeepWorking() throws Exception {
        try (AsyncRpcServer server = AsyncRpcServer.builder().host("127.0.0.1").port(0).pipeWindow(1024).maxConcurrentCalls(100_000)
                .service(new PEndpoint()).build().start();
                AsyncRpcClient other = AsyncRpcClient.builder().address(server.address()).build()) {
            P p = other.proxy(P.class);
            InPipe<Integer> before = InPipe.create();
            before.push(1, 2);
            before.close();
            assertThat(p.up("a", before)).isEqualTo(3);

            try (RawConnection raw = RawConnection.connect(server.port())) {
                raw.send(hex(HELLO));
                raw.readFrame();
                raw.send(hex(CALL_HOLD));
                raw.send(hex(PIPE_DATA_509)); // 516 of 1024 bytes of credit
                raw.send(hex(PIPE_DATA_509)); // 1032: beyond the window, and the implementation pulls nothing
                byte[] goAway = raw.readFrame();
                assertThat(goAway[4]).as("frame type").isEqualTo((byte) 0x32);
                assertThat(hex(goAway).substring(28, 32)).as("status").isEqualTo("000a");
                assertThat(new String(goAway, 18, goAway.length - 18, java.nio.charset.StandardCharsets.UTF_8))
                        .contains("overran its credit: 516 bytes sent with 508 bytes of credit left (window 1024)");
                assertThat(raw.awaitClosed()).isTrue();
            }

            InPipe<Integer> after = InPipe.create();
            after.push(4, 5);
            after.close();
            assertThat(p.up("a", after)).isEqualTo(9);
        }
    }

    interface ClientAction {
        Object run(AsyncRpcClient client) throws Exception;
    }

    /** Run {@code action} against a hand-written server that records {@code count} frames, then answers 3. */
    private static List<byte[]> capture(int count, ClientAction action) throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<List<byte[]>> captured = CompletableFuture.supplyAsync(() -> {
                try (RawConnection raw = new RawConnection(listener.accept())) {
                    List<byte[]> frames = new ArrayList<>();
                    frames.add(raw.readFrame());
                    raw.send(hex(HELLO_ACK));
                    while (frames.size() < count) {
                        frames.add(raw.readFrame());
                    }
                    raw.send(hex(REPLY_3));
                    return frames;
                }
                catch (Exception ex) {
                    throw new IllegalStateException(ex);
                }
            });
            // non-causal: the frames are the same from any thread (causal calls carry the thread's ordering key)
            try (AsyncRpcClient client = AsyncRpcClient.builder().address("127.0.0.1:" + listener.getLocalPort()).ordering(Ordering.NONCAUSAL).build()) {
                action.run(client);
            }
            catch (RemoteCallException expected) {
                // the aborted case: whatever the hand-written server answers
            }
            List<byte[]> frames = captured.get(10, TimeUnit.SECONDS);
            assertThat(hex(frames.get(0))).isEqualTo(hex(hex(HELLO)));
            return frames;
        }
    }
}
