package dev.asyncrpc;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.asyncrpc.test.ParkClientMain;
import dev.asyncrpc.test.ParkServerMain;
import dev.asyncrpc.test.ConnProbe;
import dev.asyncrpc.test.ConnProbeEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keepalive (issue 10, acceptance 3): a peer in another JVM is paused with SIGSTOP while it has calls
 * in progress; the other side detects it within keepalive interval + timeout and its calls fail
 * UNAVAILABLE (client side) or are released (server side). The paused process is resumed and killed
 * in {@code finally}. Unix only (needs {@code kill}).
 */
class KeepAliveTests {

    static final long INTERVAL = 1000;
    static final long TIMEOUT = 1000;
    /** Slack on top of interval + timeout for a loaded 2-core machine. */
    static final long SLACK = 3000;

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void aPausedServerIsDetectedByTheClientAndItsPendingCallsFailUnavailable() throws Exception {
        try (PipeMemoryTests.Child server = new PipeMemoryTests.Child(ParkServerMain.class, "600000", "10000");
                AsyncRpcClient client = AsyncRpcClient.builder().address("127.0.0.1:" + port(server))
                        .keepAlive(Duration.ofMillis(INTERVAL), Duration.ofMillis(TIMEOUT)).build()) {
            ConnProbe probe = client.proxy(ConnProbe.class);
            CompletableFuture<String> parked = probe.park();
            assertThat(probe.echo("ready")).isEqualTo("ready"); // the parked call is on the server now
            signal("STOP", server.process);
            long stopped = System.nanoTime();
            try {
                ExecutionException failure = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                        () -> parked.get(INTERVAL + TIMEOUT + SLACK + 20_000, TimeUnit.MILLISECONDS));
                long millis = (System.nanoTime() - stopped) / 1_000_000;
                System.out.println("keepalive: paused server detected by the client after " + millis + " ms (interval "
                        + INTERVAL + " + timeout " + TIMEOUT + ")");
                assertThat(failure.getCause()).isInstanceOfSatisfying(RemoteCallException.class, ex -> {
                    assertThat(ex.status()).isEqualTo(Status.UNAVAILABLE);
                    assertThat(ex.getMessage()).contains("keepalive");
                });
                assertThat(millis).isLessThan(INTERVAL + TIMEOUT + SLACK);
            }
            finally {
                signal("CONT", server.process);
            }
        }
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void aPausedClientIsDetectedByTheServerWhichReleasesItsCallsAndConnection() throws Exception {
        try (AsyncRpcServer server = AsyncRpcServer.builder().host("127.0.0.1").port(0)
                .keepAlive(Duration.ofMillis(INTERVAL), Duration.ofMillis(TIMEOUT)).service(new ConnProbeEndpoint()).build().start();
                PipeMemoryTests.Child client = new PipeMemoryTests.Child(ParkClientMain.class, String.valueOf(server.port()), "600000",
                        "10000", "100")) {
            client.await("PARKED", 60);
            assertThat(server.activeCalls()).isEqualTo(100);
            signal("STOP", client.process);
            long stopped = System.nanoTime();
            try {
                long deadline = stopped + TimeUnit.MILLISECONDS.toNanos(INTERVAL + TIMEOUT + SLACK + 20_000);
                while ((server.activeCalls() > 0 || server.connections() > 0) && System.nanoTime() < deadline) {
                    Thread.sleep(10); // polling a gauge: there is no event to await for "released"
                }
                long millis = (System.nanoTime() - stopped) / 1_000_000;
                System.out.println("keepalive: paused client detected by the server after " + millis + " ms (interval "
                        + INTERVAL + " + timeout " + TIMEOUT + "); calls released: " + (server.activeCalls() == 0));
                assertThat(server.activeCalls()).isZero();
                assertThat(server.connections()).isZero();
                assertThat(millis).isLessThan(INTERVAL + TIMEOUT + SLACK);
            }
            finally {
                signal("CONT", client.process);
            }
        }
    }

    private static int port(PipeMemoryTests.Child server) throws InterruptedException {
        return Integer.parseInt(server.await("PORT ", 60).substring(5).trim());
    }

    private static void signal(String signal, Process process) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).as("kill -" + signal).isZero();
    }
}
