package dev.asyncrpc;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.asyncrpc.test.PlainCalc;
import dev.asyncrpc.test.RawConnection;
import org.junit.jupiter.api.Test;

import static dev.asyncrpc.test.RawConnection.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link AsyncRpcClient#ping(Duration)}: PING/PONG round trips, and how a ping fails. */
class PingTests {

    @Test
    void pingAnswersWithTheRoundTripTime() throws Exception {
        try (AsyncRpcServer server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(new PlainCalc()).build().start();
                AsyncRpcClient client = AsyncRpcClient.builder().address("127.0.0.1:" + server.port()).build()) {
            Duration first = await(client.ping(Duration.ofSeconds(10)));
            Duration second = await(client.ping(Duration.ofSeconds(10)));
            assertThat(first).isPositive().isLessThan(Duration.ofSeconds(10));
            assertThat(second).isPositive().isLessThan(Duration.ofSeconds(10));
            assertThat(client.connections()).isEqualTo(1); // the ping opened the connection calls use
            assertThat(client.pendingCalls()).isZero();
        }
    }

    @Test
    void pingOfABalancedTargetGoesToOneOfItsEndpoints() throws Exception {
        try (AsyncRpcServer a = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(new PlainCalc()).build().start();
                AsyncRpcServer b = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(new PlainCalc()).build().start();
                AsyncRpcClient client = AsyncRpcClient.builder().addresses("127.0.0.1:" + a.port(), "127.0.0.1:" + b.port()).build()) {
            assertThat(await(client.ping(Duration.ofSeconds(10)))).isPositive();
        }
    }

    @Test
    void pingFailsUnavailableAtOnceWhenNothingListens() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        try (AsyncRpcClient client = AsyncRpcClient.builder().address("127.0.0.1:" + port).build()) {
            long start = System.nanoTime();
            RemoteCallException failure = failure(client.ping(Duration.ofSeconds(30)));
            assertThat(failure.status()).isEqualTo(Status.UNAVAILABLE);
            assertThat(failure.getMessage()).contains("127.0.0.1:" + port);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        }
    }

    @Test
    void pingTimesOutWhenThePeerNeverAnswersAndALatePongIsIgnored() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CountDownLatch timedOut = new CountDownLatch(1);
            CompletableFuture<byte[]> peer = CompletableFuture.supplyAsync(() -> {
                try (RawConnection raw = new RawConnection(listener.accept())) {
                    assertThat(hex(raw.readFrame())).isEqualTo(hex(hex(GoldenFrameTests.HELLO)));
                    raw.send(hex(GoldenFrameTests.HELLO_ACK));
                    raw.send(pong(raw.readFrame())); // the warm-up ping: the handshake is done after it
                    byte[] ping = raw.readFrame();
                    assertThat(timedOut.await(30, TimeUnit.SECONDS)).isTrue();
                    raw.send(pong(ping)); // too late: the client has given up on it
                    byte[] second = raw.readFrame();
                    raw.send(pong(second));
                    raw.awaitClosed();
                    return ping;
                }
                catch (Exception ex) {
                    throw new IllegalStateException(ex);
                }
            });
            try (AsyncRpcClient client = AsyncRpcClient.builder().address("127.0.0.1:" + listener.getLocalPort()).build()) {
                // first a ping the peer answers, so that the 300 ms below never include a slow handshake
                assertThat(await(client.ping(Duration.ofSeconds(30)))).isPositive();
                RemoteCallException failure = failure(client.ping(Duration.ofMillis(300)));
                assertThat(failure.status()).isEqualTo(Status.DEADLINE_EXCEEDED);
                assertThat(failure.getMessage()).contains("no PONG");
                timedOut.countDown();
                assertThat(await(client.ping(Duration.ofSeconds(10)))).isPositive();
            }
            byte[] ping = peer.get(30, TimeUnit.SECONDS);
            // length 14, type PING (0x30), no flags, call id 0, then the u64 opaque value
            assertThat(hex(ping)).startsWith("0000000e" + "30" + "00" + "00000000").hasSize(2 * 18);
        }
    }

    @Test
    void pendingPingFailsUnavailableWhenTheConnectionCloses() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> peer = CompletableFuture.runAsync(() -> {
                try (RawConnection raw = new RawConnection(listener.accept())) {
                    raw.readFrame();
                    raw.send(hex(GoldenFrameTests.HELLO_ACK));
                    raw.readFrame(); // the PING; hang up instead of answering
                }
                catch (Exception ex) {
                    throw new IllegalStateException(ex);
                }
            });
            try (AsyncRpcClient client = AsyncRpcClient.builder().address("127.0.0.1:" + listener.getLocalPort()).build()) {
                long start = System.nanoTime();
                RemoteCallException failure = failure(client.ping(Duration.ofSeconds(30)));
                assertThat(failure.status()).isEqualTo(Status.UNAVAILABLE);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
            }
            peer.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void pingOfAClosedClientFailsAndTheTimeoutIsChecked() {
        AsyncRpcClient client = AsyncRpcClient.builder().address("127.0.0.1:1").build();
        assertThatThrownBy(() -> client.ping(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout");
        client.close();
        assertThat(failure(client.ping(Duration.ofSeconds(1))).status()).isEqualTo(Status.UNAVAILABLE);
    }

    private static byte[] pong(byte[] ping) {
        byte[] pong = ping.clone();
        pong[4] = 0x31;
        return pong;
    }

    private static Duration await(CompletionStage<Duration> stage) throws Exception {
        return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static RemoteCallException failure(CompletionStage<Duration> stage) {
        try {
            stage.toCompletableFuture().get(60, TimeUnit.SECONDS);
        }
        catch (ExecutionException ex) {
            assertThat(ex.getCause()).isInstanceOf(RemoteCallException.class);
            return (RemoteCallException) ex.getCause();
        }
        catch (Exception ex) {
            throw new AssertionError("the ping did not fail in time", ex);
        }
        throw new AssertionError("the ping succeeded");
    }
}
