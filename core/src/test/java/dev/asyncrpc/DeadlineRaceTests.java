package dev.asyncrpc;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.asyncrpc.test.RawConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A call whose deadline passes fails with DEADLINE_EXCEEDED even when the server answers the
 * CANCEL that the deadline sends (with CANCELLED) before the client's executor has completed the
 * call, and even when the server's own deadline fires first and the implementation answers its
 * cancel with CANCELLED: the deadline decided the outcome first.
 */
@Timeout(60)
class DeadlineRaceTests {

    @RemoteService("slow")
    public interface Slow {

        @AsyncRemote
        void waitForCancel(AsyncReply<String> reply);
    }

    @RemoteService("slow")
    public interface SlowCaller {

        String waitForCancel();
    }

    static final class SlowEndpoint implements Slow {

        @Override
        public void waitForCancel(AsyncReply<String> reply) {
            ServerCall.current().onCancel(() -> reply.abort(Status.CANCELLED, "cancelled by the caller, as the server saw it"));
        }
    }

    @Test
    void theDeadlineWinsOverTheServersAnswerToItsCancel() throws Exception {
        // a slow completion executor: each task waits 200 ms, so the server's answer is read first
        ScheduledExecutorService delay = Executors.newSingleThreadScheduledExecutor();
        ExecutorService slowExecutor = new java.util.concurrent.AbstractExecutorService() {
            private volatile boolean shutdown;

            @Override
            public void execute(Runnable task) {
                delay.schedule(task, 200, TimeUnit.MILLISECONDS);
            }

            @Override
            public void shutdown() {
                this.shutdown = true;
            }

            @Override
            public java.util.List<Runnable> shutdownNow() {
                this.shutdown = true;
                return java.util.List.of();
            }

            @Override
            public boolean isShutdown() {
                return this.shutdown;
            }

            @Override
            public boolean isTerminated() {
                return this.shutdown;
            }

            @Override
            public boolean awaitTermination(long timeout, TimeUnit unit) {
                return true;
            }
        };
        try (AsyncRpcServer server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(new SlowEndpoint()).build().start();
                AsyncRpcClient client = AsyncRpcClient.builder().address(server.address()).executor(slowExecutor)
                    .timeout(Duration.ofMillis(100)).build()) {
            SlowCaller caller = client.proxy(SlowCaller.class);
            for (int i = 0; i < 5; i++) {
                assertThatThrownBy(caller::waitForCancel).isInstanceOfSatisfying(RemoteCallException.class,
                        (ex) -> assertThat(ex.status()).as(ex.getMessage()).isEqualTo(Status.DEADLINE_EXCEEDED));
            }
        }
        finally {
            delay.shutdownNow();
        }
    }

    @Test
    void theServersDeadlineWinsOverTheImplementationsAnswerToItsCancel() throws Exception {
        // a raw client with no timer of its own: what the server sends when its deadline passes
        try (AsyncRpcServer server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(new SlowEndpoint()).build().start();
                RawConnection raw = RawConnection.connect(server.port())) {
            raw.send(RawConnection.hex(GoldenFrameTests.HELLO));
            assertThat(raw.readFrame()[4]).as("HELLO_ACK").isEqualTo((byte) 0x02);
            for (int id = 1; id <= 40; id++) {
                // 100 ms: time for the implementation to register its cancel action first even on a
                // loaded machine (with 10 ms, a call still waiting for a worker when the deadline
                // passed failed with the deadline alone, 1 run in about 10 under load)
                raw.send(callWithDeadline(id, "slow/waitForCancel", 100));
                byte[] frame = raw.readFrame();
                assertThat(frame[4]).as("ERROR").isEqualTo((byte) 0x12);
                int status = ((frame[10] & 0xff) << 8) | (frame[11] & 0xff);
                String message = new String(frame, 14, frame.length - 14, java.nio.charset.StandardCharsets.UTF_8);
                assertThat(status).as(message).isEqualTo(Status.DEADLINE_EXCEEDED.code());
                assertThat(message).contains("the deadline of slow/waitForCancel passed on the server")
                    .contains("the implementation then ended the call with CANCELLED");
            }
        }
    }

    /** A CALL frame with no arguments and a deadline of {@code millis} (flag 0x01, u32 after the name). */
    private static byte[] callWithDeadline(int id, String operation, int millis) {
        byte[] name = operation.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.nio.ByteBuffer payload = java.nio.ByteBuffer.allocate(2 + name.length + 4 + 1);
        payload.putShort((short) name.length).put(name).putInt(millis).put((byte) 0);
        return java.nio.ByteBuffer.allocate(10 + payload.capacity()).putInt(6 + payload.capacity()).put((byte) 0x10).put((byte) 0x01)
            .putInt(id).put(payload.array()).array();
    }
}
