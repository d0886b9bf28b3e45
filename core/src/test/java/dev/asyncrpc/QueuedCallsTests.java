package dev.asyncrpc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import dev.asyncrpc.test.CalcAsync;
import dev.asyncrpc.test.PlainCalc;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * At the server's MAX_CONCURRENT_CALLS a client holds further calls locally, in issue order, and
 * counts them ({@link AsyncRpcClient#queuedCalls()}); a queued call's deadline still applies.
 */
class QueuedCallsTests {

    /** A calc whose echo waits until released. */
    static final class Gate extends PlainCalc {

        final CountDownLatch open = new CountDownLatch(1);

        @Override
        public String echo(String text) {
            try {
                this.open.await(30, TimeUnit.SECONDS);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            return text;
        }
    }

    @Test
    void callsBeyondTheServersLimitWaitInTheClientAndAreCounted() throws Exception {
        Gate gate = new Gate();
        ExecutorService workers = Executors.newFixedThreadPool(4);
        try (AsyncRpcServer server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(gate).maxConcurrentCalls(2).executor(workers)
                .build().start();
                AsyncRpcClient client = AsyncRpcClient.builder().address(server.address()).ordering(Ordering.NONCAUSAL).build()) {
            CalcAsync calc = client.proxy(CalcAsync.class);
            List<CompletableFuture<String>> calls = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                calls.add(calc.echo("e" + i));
            }
            await(() -> server.activeCalls() == 2 && client.queuedCalls() == 3);
            assertThat(client.pendingCalls()).isEqualTo(5);
            // a queued call with a deadline fails when it passes, never sent
            CompletableFuture<String> late = client.proxy(CalcAsync.class, CallOptions.DEFAULT.withTimeout(Duration.ofMillis(200))).echo("late");
            assertThat(late).failsWithin(Duration.ofSeconds(10)).withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .havingCause().isInstanceOfSatisfying(RemoteCallException.class, (ex) -> assertThat(ex.status()).isEqualTo(Status.DEADLINE_EXCEEDED));
            gate.open.countDown();
            for (int i = 0; i < 5; i++) {
                assertThat(calls.get(i).get(30, TimeUnit.SECONDS)).isEqualTo("e" + i);
            }
            await(() -> client.queuedCalls() == 0);
        }
        finally {
            workers.shutdownNow();
        }
    }

    private static void await(java.util.function.BooleanSupplier condition) {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - until).as("condition within 20 s").isNegative();
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }
}
