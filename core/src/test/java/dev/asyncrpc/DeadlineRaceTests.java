package dev.asyncrpc;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A call whose deadline passes fails with DEADLINE_EXCEEDED even when the server answers the
 * CANCEL that the deadline sends (with CANCELLED) before the client's executor has completed the
 * call: the deadline decided the outcome first.
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
}
