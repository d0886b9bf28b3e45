package dev.asyncrpc;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.asyncrpc.test.RawConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static dev.asyncrpc.GoldenFrameTests.HELLO;
import static dev.asyncrpc.test.RawConnection.hex;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server's open-pipe registry ({@link AsyncRpcServer#openPipes()}) is exact when an in-pipe's
 * {@code PIPE_END} arrived before the implementation met a problem with its data: an element that
 * cannot be decoded, or an implementation that fails without pulling. Each case once left a phantom
 * open pipe behind (and its buffered data unreleased, which the leak detection would report).
 */
class PipeRegistryTests {

    @RemoteService("reg")
    public interface Reg {

        /** Waits for the test's go, then sums the pipe. */
        int sum(InPipe<Integer> xs);

        /** Waits for the test's go, then fails without pulling. */
        int refuse(InPipe<Integer> xs);
    }

    static final class RegEndpoint implements Reg {
        final CountDownLatch go = new CountDownLatch(1);

        @Override
        public int sum(InPipe<Integer> xs) {
            await();
            int sum = 0;
            for (int x : xs) {
                sum += x;
            }
            return sum;
        }

        @Override
        public int refuse(InPipe<Integer> xs) {
            await();
            throw new IllegalStateException("refused");
        }

        private void await() {
            try {
                if (!this.go.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("no go within 30 s");
                }
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(ex);
            }
        }
    }

    /** {@code reg/sum} as call 1, no arguments besides the pipe. */
    static final String CALL_SUM = "00000010 10 00 00000001 0007 7265672f73756d 00";

    /** {@code reg/refuse} as call 1. */
    static final String CALL_REFUSE = "00000013 10 00 00000001 000a 7265672f726566757365 00";

    /** Two elements on pipe 0 of call 1: the int 1, then 0xff, which is no CBOR data item. */
    static final String PIPE_DATA_1_BAD = "00000013 20 00 00000001 00 0002 00000001 01 00000001 ff";

    static final String PIPE_DATA_1_2 = "00000013 20 00 00000001 00 0002 00000001 01 00000001 02";

    static final String PIPE_END_0 = "00000008 21 00 00000001 00 00";

    static final String PING = "0000000e 30 00 00000000 0000000000000007";

    private final RegEndpoint endpoint = new RegEndpoint();

    private AsyncRpcServer server;

    @BeforeEach
    void start() {
        this.server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(this.endpoint).build().start();
    }

    @AfterEach
    void stop() {
        this.endpoint.go.countDown();
        this.server.close();
    }

    @Test
    void anElementThatFailsToDecodeAfterThePipeEndArrivedUnregistersThePipe() throws Exception {
        try (RawConnection raw = openWithPipeEnded(CALL_SUM, PIPE_DATA_1_BAD)) {
            assertThat(this.server.openPipes()).as("open pipes while the implementation waits").hasSize(1);
            this.endpoint.go.countDown();
            byte[] error = raw.readFrame();
            assertThat(error[4]).as("frame type").isEqualTo((byte) 0x12);
            assertThat(hex(error).substring(20, 24)).as("status").isEqualTo("0005"); // INVALID_ARGUMENT
            assertThat(new String(error, 14, error.length - 14, java.nio.charset.StandardCharsets.UTF_8))
                    .contains("cannot decode an element of the implementer's end of InPipe #0 of reg/sum");
            assertThat(this.server.openPipes()).as("open pipes once the call failed").isEmpty();
        }
    }

    @Test
    void anImplementationThatFailsWithoutPullingAnEndedPipeUnregistersItAndReleasesItsData() throws Exception {
        try (RawConnection raw = openWithPipeEnded(CALL_REFUSE, PIPE_DATA_1_2)) {
            assertThat(this.server.openPipes()).as("open pipes while the implementation waits").hasSize(1);
            this.endpoint.go.countDown();
            byte[] error = raw.readFrame();
            assertThat(error[4]).as("frame type").isEqualTo((byte) 0x12);
            assertThat(this.server.openPipes()).as("open pipes once the call failed").isEmpty();
        }
    }

    @Test
    void aPipeReadToItsEndUnregisters() throws Exception {
        try (RawConnection raw = openWithPipeEnded(CALL_SUM, PIPE_DATA_1_2)) {
            this.endpoint.go.countDown();
            assertThat(hex(raw.readFrame())).isEqualTo("000000071100000000" + "0103");
            assertThat(this.server.openPipes()).isEmpty();
        }
    }

    /**
     * Handshake, send {@code call}, {@code data} and the pipe's end, and wait for the PONG of a
     * PING sent after them: the server's event loop has then taken the end in.
     */
    private RawConnection openWithPipeEnded(String call, String data) throws Exception {
        RawConnection raw = RawConnection.connect(this.server.port());
        raw.send(hex(HELLO));
        raw.readFrame();
        raw.send(hex(call + data + PIPE_END_0 + PING));
        byte[] pong = raw.readFrame();
        assertThat(pong[4]).as("PONG").isEqualTo((byte) 0x31);
        return raw;
    }
}
