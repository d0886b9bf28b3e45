package dev.asyncrpc;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import dev.asyncrpc.test.Calc;
import dev.asyncrpc.test.PlainCalc;
import dev.asyncrpc.test.RawConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static dev.asyncrpc.GoldenFrameTests.HELLO;
import static dev.asyncrpc.test.RawConnection.hex;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A server refuses hostile values quickly with {@code INVALID_ARGUMENT} and a message naming the
 * limit, and goes on answering: the value limits of docs/protocol.md, section 3.
 */
class ValueLimitsTests {

    private AsyncRpcServer server;

    @BeforeEach
    void start() {
        this.server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(new PlainCalc()).build().start();
    }

    @AfterEach
    void stop() {
        this.server.close();
    }

    /** {@code calc/echo(argument)} as call {@code callId}. */
    static byte[] echoCall(int callId, byte[] argument) {
        byte[] name = "calc/echo".getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(4 + 6 + 2 + name.length + 1 + 4 + argument.length);
        b.putInt(b.capacity() - 4).put((byte) 0x10).put((byte) 0).putInt(callId);
        b.putShort((short) name.length).put(name).put((byte) 1).putInt(argument.length).put(argument);
        return b.array();
    }

    private String refusal(byte[] argument, long[] elapsedMillis) throws Exception {
        try (RawConnection raw = RawConnection.connect(this.server.port())) {
            raw.send(hex(HELLO));
            raw.readFrame();
            byte[] call = echoCall(1, argument);
            long start = System.nanoTime();
            raw.send(call);
            byte[] error = raw.readFrame();
            elapsedMillis[0] = (System.nanoTime() - start) / 1_000_000;
            assertThat(error[4]).as("frame type ERROR").isEqualTo((byte) 0x12);
            assertThat(ByteBuffer.wrap(error).getShort(10)).as("status INVALID_ARGUMENT").isEqualTo((short) 5);
            return new String(error, 14, error.length - 14, StandardCharsets.UTF_8);
        }
    }

    @Test
    void anArgumentOf800000NestedTagsIsRefusedWithinASecond() throws Exception {
        byte[] bomb = new byte[800_001];
        Arrays.fill(bomb, (byte) 0xc6);
        bomb[800_000] = 0x61; // then a one-byte string would follow
        long[] elapsed = new long[1];
        String message = refusal(bomb, elapsed);
        assertThat(message).isEqualTo("argument 1 of calc/echo: cannot decode [simple type, class java.lang.String]: "
                + "more than 4 tags on one data item (at byte 4)");
        System.out.println("ValueLimitsTests: 800,000 nested tags refused in " + elapsed[0] + " ms");
        assertThat(elapsed[0]).as("ms from sending the CALL to reading the ERROR").isLessThan(1000);
        try (AsyncRpcClient client = AsyncRpcClient.builder().address(this.server.address()).build()) {
            assertThat(client.proxy(Calc.class).echo("still here")).isEqualTo("still here");
        }
    }

    @Test
    void deeplyNestedArraysAndMapsAreRefused() throws Exception {
        byte[] arrays = new byte[1_000_000];
        Arrays.fill(arrays, (byte) 0x81);
        long[] elapsed = new long[1];
        assertThat(refusal(arrays, elapsed)).endsWith("arrays and maps nested deeper than 128 levels (at byte 128)");
        byte[] maps = new byte[300_000];
        for (int i = 0; i < maps.length; i += 3) {
            maps[i] = (byte) 0xa1;
            maps[i + 1] = 0x61;
            maps[i + 2] = 'k';
        }
        assertThat(refusal(maps, elapsed)).endsWith("arrays and maps nested deeper than 128 levels (at byte 384)");
    }
}
