package dev.asyncrpc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import dev.asyncrpc.test.Calc;
import dev.asyncrpc.test.CalcAsync;
import dev.asyncrpc.test.PlainCalc;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Where calls complete: a plain (blocking) caller is woken by the event loop that read its reply,
 * with no hop through the completion executor; callbacks of asynchronous callers run on the
 * executor, never on the event loop; the future a caller gets cannot be completed by the caller.
 */
class CompletionThreadTests {

    /** The client's completion executor, counting the tasks it is given. */
    private static final class CountingExecutor extends java.util.concurrent.AbstractExecutorService {

        final ExecutorService delegate = Executors.newFixedThreadPool(2, (r) -> new Thread(r, "counted-completion"));
        final AtomicInteger tasks = new AtomicInteger();

        @Override
        public void execute(Runnable command) {
            this.tasks.incrementAndGet();
            this.delegate.execute(command);
        }

        @Override
        public void shutdown() {
            this.delegate.shutdown();
        }

        @Override
        public List<Runnable> shutdownNow() {
            return this.delegate.shutdownNow();
        }

        @Override
        public boolean isShutdown() {
            return this.delegate.isShutdown();
        }

        @Override
        public boolean isTerminated() {
            return this.delegate.isTerminated();
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
            return this.delegate.awaitTermination(timeout, unit);
        }
    }

    @Test
    void plainCallersAreWokenWithoutAnExecutorHop() throws Exception {
        CountingExecutor executor = new CountingExecutor();
        try (AsyncRpcServer server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(new PlainCalc()).build().start();
                AsyncRpcClient client = AsyncRpcClient.builder().address(server.address()).executor(executor).build()) {
            Calc calc = client.proxy(Calc.class);
            for (int i = 0; i < 500; i++) {
                assertThat(calc.add(i, 1)).isEqualTo(i + 1);
            }
            assertThatThrownBy(() -> calc.fail("no")).isInstanceOf(RemoteCallException.class);
            assertThat(executor.tasks.get()).as("completion tasks for 501 plain calls").isZero();
            // an asynchronous caller's callbacks do go through the executor, off the event loop
            List<String> threads = new ArrayList<>();
            CalcAsync async = client.proxy(CalcAsync.class);
            for (int i = 0; i < 20; i++) {
                threads.add(async.echo("x").thenApply((v) -> Thread.currentThread().getName()).get(10, TimeUnit.SECONDS));
            }
            assertThat(executor.tasks.get()).isGreaterThan(0);
            assertThat(threads).allMatch((name) -> !name.startsWith("asyncrpc-client-io"), "callbacks run off the event loop");
        }
        finally {
            executor.shutdown();
        }
    }

    @Test
    void callersCannotCompleteTheFutureOfARemoteCall() throws Exception {
        try (AsyncRpcServer server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(new PlainCalc()).build().start();
                AsyncRpcClient client = AsyncRpcClient.builder().address(server.address()).build()) {
            CalcAsync calc = client.proxy(CalcAsync.class);
            CompletableFuture<String> echo = calc.echo("real");
            assertThatThrownBy(() -> echo.complete("fake")).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("cannot be completed by the caller");
            assertThatThrownBy(() -> echo.completeExceptionally(new IllegalStateException())).isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(() -> echo.obtrudeValue("fake")).isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(() -> echo.completeOnTimeout("fake", 1, TimeUnit.MILLISECONDS)).isInstanceOf(UnsupportedOperationException.class);
            assertThat(echo.get(10, TimeUnit.SECONDS)).isEqualTo("real");
            CompletableFuture<Integer> viaHandle = calc.add(1, 2).toCompletableFuture();
            assertThatThrownBy(() -> viaHandle.complete(42)).isInstanceOf(UnsupportedOperationException.class);
            assertThat(viaHandle.get(10, TimeUnit.SECONDS)).isEqualTo(3);
            // what a caller derives from it is its own
            CompletableFuture<String> derived = echo.thenApply(String::toUpperCase);
            assertThat(derived.get(10, TimeUnit.SECONDS)).isEqualTo("REAL");
        }
    }

    @Test
    void orTimeoutFailsAndCancelsACallThatTakesTooLong() throws Exception {
        List<Runnable> held = new ArrayList<>();
        java.util.concurrent.Executor holding = (task) -> {
            synchronized (held) {
                held.add(task); // the implementation never runs until released
            }
        };
        ExecutorService workers = new java.util.concurrent.AbstractExecutorService() {
            volatile boolean shut;

            @Override
            public void execute(Runnable command) {
                holding.execute(command);
            }

            @Override
            public void shutdown() {
                this.shut = true;
            }

            @Override
            public List<Runnable> shutdownNow() {
                this.shut = true;
                return List.of();
            }

            @Override
            public boolean isShutdown() {
                return this.shut;
            }

            @Override
            public boolean isTerminated() {
                return this.shut;
            }

            @Override
            public boolean awaitTermination(long timeout, TimeUnit unit) {
                return true;
            }
        };
        try (AsyncRpcServer server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(new PlainCalc()).executor(workers).build().start();
                AsyncRpcClient client = AsyncRpcClient.builder().address(server.address()).build()) {
            CompletableFuture<String> echo = client.proxy(CalcAsync.class).echo("slow").orTimeout(100, TimeUnit.MILLISECONDS);
            assertThatThrownBy(() -> echo.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TimeoutException.class);
            long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (client.pendingCalls() != 0 && System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            assertThat(client.pendingCalls()).isZero();
        }
    }
}
