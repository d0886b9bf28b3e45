package dev.asyncrpc.spring.autoconfigure.observability;

import java.io.DataInputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.HexFormat;

import dev.asyncrpc.AsyncRpcServer;
import dev.asyncrpc.CallObserver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;

/** The server health indicator and the protocol-error counter against a real server. */
class AsyncRpcServerHealthIndicatorTests {

    /** HELLO with the default settings (docs/protocol.md). */
    private static final String HELLO = "00000026010000000000415250430001000400010100000000020001" + "86a0000300100000000400002000";

    @Test
    void aServerThatFailedIsDown() throws Exception {
        CallObserver failing = new CallObserver() {
            @Override
            public void onConnection(CallInfo.Side side, String peer, boolean open) {
                throw new OutOfMemoryError("simulated by the test");
            }
        };
        try (AsyncRpcServer server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(new MeteredEndpoint()).observer(failing)
                .build().start()) {
            AsyncRpcServerHealthIndicator indicator = new AsyncRpcServerHealthIndicator(() -> server);
            assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
            sendAndAwaitClose(server.port(), HELLO);
            Health health = indicator.health();
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails()).containsEntry("state", "FAILED");
            assertThat((String) health.getDetails().get("failure")).contains("simulated by the test");
        }
    }

    @Test
    void protocolErrorsAreCountedByKind() throws Exception {
        try (AsyncRpcServer server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(new MeteredEndpoint()).maxFrameSize(1024)
                .build().start()) {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            AsyncRpcMetrics metrics = new AsyncRpcMetrics(() -> server, (service) -> null);
            metrics.bindTo(registry);
            metrics.serverBuilt();
            sendAndAwaitClose(server.port(), "00100000" + "10000000" + "0001"); // length 1 MiB > 1024
            assertThat(registry.get(AsyncRpcMetrics.SERVER_PROTOCOL_ERRORS).tag("kind", "frame-length").functionCounter().count()).isEqualTo(1);
            assertThat(registry.get(AsyncRpcMetrics.SERVER_PROTOCOL_ERRORS).tag("kind", "handshake").functionCounter().count()).isZero();
        }
    }

    private static void sendAndAwaitClose(int port, String hex) throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(HexFormat.of().parseHex(hex));
            DataInputStream in = new DataInputStream(socket.getInputStream());
            while (in.read() >= 0) {
                // until the server closes
            }
        }
    }
}
