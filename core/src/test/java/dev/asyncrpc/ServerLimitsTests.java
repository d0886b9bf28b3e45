package dev.asyncrpc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import dev.asyncrpc.test.RawConnection;
import org.junit.jupiter.api.Test;

import static dev.asyncrpc.test.RawConnection.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The server's budgets and workers over real sockets: limits of calls in progress answer
 * RESOURCE_EXHAUSTED for calls that never ran, the worker pool grows only when work waits and
 * retires idle threads, a refused executor task fails its call instead of running on the event
 * loop, and calls parked on empty in-pipes do not starve other callers.
 */
class ServerLimitsTests {

    @RemoteService("limits")
    interface Limits {
        @AsyncRemote
        AsyncCall<Integer> hold(int n);

        int plain(int n);

        @AsyncRemote(ordering = Ordering.NONCAUSAL)
        AsyncCall<Integer> park(InPipe<String> names);
    }

    @RemoteService("limits")
    interface LimitsEndpoint {
        @AsyncRemote
        CompletableFuture<Integer> hold(int n);

        int plain(int n);

        int park(InPipe<String> names);
    }

    static final class Endpoint implements LimitsEndpoint {
        final List<CompletableFuture<Integer>> held = new ArrayList<>();
        final AtomicInteger holds = new AtomicInteger();
        final AtomicInteger plains = new AtomicInteger();
        final AtomicInteger parked = new AtomicInteger();

        @Override
        public synchronized CompletableFuture<Integer> hold(int n) {
            this.holds.incrementAndGet();
            CompletableFuture<Integer> f = new CompletableFuture<>();
            this.held.add(f);
            return f.thenApply(v -> n);
        }

        synchronized void releaseAll() {
            this.held.forEach(f -> f.complete(0));
            this.held.clear();
        }

        @Override
        public int plain(int n) {
            this.plains.incrementAndGet();
            return n;
        }

        @Override
        public int park(InPipe<String> names) {
            this.parked.incrementAndGet();
            int n = 0;
            for (String name : names) { // blocks this worker: the caller never sends anything
                n += name.length();
            }
            return n;
        }
    }

    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 30 s for: " + what).isLessThan(deadline);
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
    }

    @Test
    void callsBeyondTheServerWideBudgetAreRefusedAsNeverRun() {
        Endpoint endpoint = new Endpoint();
        try (AsyncRpcServer server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(endpoint).maxCallsInProgress(4)
                .maxConcurrentCalls(10).build().start();
                AsyncRpcClient a = AsyncRpcClient.builder().address(server.address()).build();
                AsyncRpcClient b = AsyncRpcClient.builder().address(server.address()).build()) {
            List<AsyncCall<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                calls.add(a.proxy(Limits.class).hold(i));
                calls.add(b.proxy(Limits.class).hold(10 + i));
            }
            await("4 calls held", () -> endpoint.holds.get() == 4);
            assertThat(server.activeCalls()).isEqualTo(4);
            assertThat(server.maxCallsInProgress()).isEqualTo(4);
            AsyncCall<Integer> fifth = b.proxy(Limits.class).hold(99);
            assertThatThrownBy(() -> fifth.join(Duration.ofSeconds(10))).isInstanceOfSatisfying(RemoteCallException.class, ex -> {
                assertThat(ex.status()).isEqualTo(Status.RESOURCE_EXHAUSTED);
                assertThat(ex.status().isRetrySafe()).isTrue();
                assertThat(ex.getMessage()).contains("maxCallsInProgress 4", "not run");
            });
            assertThat(endpoint.holds.get()).as("the refused call never reached the implementation").isEqualTo(4);
            assertThat(server.refusedCalls()).isEqualTo(1);
            endpoint.releaseAll();
            for (AsyncCall<Integer> call : calls) {
                call.join(Duration.ofSeconds(10));
            }
            assertThat(a.proxy(Limits.class).plain(7)).as("room again once calls ended").isEqualTo(7);
        }
    }

    @Test
    void aPeerThatIgnoresTheAnnouncedLimitIsRefusedPerConnection() throws Exception {
        Endpoint endpoint = new Endpoint();
        try (AsyncRpcServer server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(endpoint).maxConcurrentCalls(2).build().start();
                RawConnection raw = RawConnection.connect(server.port())) {
            raw.send(hex(GoldenFrameTests.HELLO));
            assertThat(hex(raw.readFrame())).contains("0002 00000002".replace(" ", ""));
            for (int id = 1; id <= 3; id++) {
                // limits/hold(id): name "limits/hold", one CBOR argument (small unsigned int)
                raw.send(hex(String.format("00000019 10 00 %08x 000b 6c696d6974732f686f6c64 01 00000001 %02x", id, id)));
            }
            byte[] refusal = raw.readFrame();
            assertThat(hex(refusal).substring(8)).startsWith("12" + "00" + "00000003" + "0004"); // ERROR, call 3, RESOURCE_EXHAUSTED
            assertThat(new String(refusal, java.nio.charset.StandardCharsets.UTF_8)).contains("maxConcurrentCalls 2");
            await("2 calls held", () -> endpoint.holds.get() == 2);
            assertThat(server.refusedCalls()).isEqualTo(1);
            endpoint.releaseAll();
        }
    }

    @Test
    void sequentialCallsUseAFewWorkersThatRetireWhenIdle() {
        int cores = Runtime.getRuntime().availableProcessors();
        Endpoint endpoint = new Endpoint();
        try (AsyncRpcServer server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(endpoint)
                .workerKeepAlive(Duration.ofMillis(300)).build().start();
                AsyncRpcClient client = AsyncRpcClient.builder().address(server.address()).build()) {
            Limits limits = client.proxy(Limits.class);
            int maxSeen = 0;
            for (int i = 0; i < 1000; i++) {
                assertThat(limits.plain(i)).isEqualTo(i);
                maxSeen = Math.max(maxSeen, server.workerThreads());
            }
            System.out.println("1000 sequential plain calls: " + maxSeen + " worker threads at most (" + cores + " cores)");
            assertThat(maxSeen).isBetween(1, cores + 2);
            assertThat(server.maxWorkerThreads()).isEqualTo(64);
            await("idle workers retired", () -> server.workerThreads() == 0);
            assertThat(limits.plain(1)).as("workers start again").isEqualTo(1);
        }
    }

    /** An executor that refuses everything, as a saturated application executor would. */
    static final class Refusing extends AbstractExecutorService {
        final AtomicInteger refused = new AtomicInteger();

        @Override
        public void execute(Runnable command) {
            this.refused.incrementAndGet();
            throw new RejectedExecutionException("queue full");
        }

        @Override
        public void shutdown() {
        }

        @Override
        public List<Runnable> shutdownNow() {
            return List.of();
        }

        @Override
        public boolean isShutdown() {
            return false;
        }

        @Override
        public boolean isTerminated() {
            return false;
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return true;
        }
    }

    @Test
    void aRefusedWorkerTaskFailsItsCallInsteadOfRunningOnTheEventLoop() {
        Endpoint endpoint = new Endpoint();
        Refusing executor = new Refusing();
        try (AsyncRpcServer server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(endpoint).executor(executor).build().start();
                AsyncRpcClient client = AsyncRpcClient.builder().address(server.address()).build()) {
            Limits limits = client.proxy(Limits.class);
            assertThatThrownBy(() -> limits.plain(1)).isInstanceOfSatisfying(RemoteCallException.class, ex -> {
                assertThat(ex.status()).isEqualTo(Status.RESOURCE_EXHAUSTED);
                assertThat(ex.getMessage()).contains("worker executor refused", "queue full");
            });
            for (int i = 0; i < 3; i++) {
                AsyncCall<Integer> causal = limits.hold(i);
                assertThatThrownBy(() -> causal.join(Duration.ofSeconds(10))).isInstanceOfSatisfying(RemoteCallException.class,
                        ex -> assertThat(ex.status()).isEqualTo(Status.RESOURCE_EXHAUSTED));
            }
            assertThat(endpoint.plains.get() + endpoint.holds.get()).as("nothing ran, on any thread").isZero();
            assertThat(server.rejectedWork()).isEqualTo(executor.refused.get()).isGreaterThanOrEqualTo(4);
        }
    }

    @Test
    void callsParkedOnEmptyInPipesDoNotStarveOtherCallers() {
        Endpoint endpoint = new Endpoint();
        try (AsyncRpcServer server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(endpoint).build().start()) {
            AsyncRpcClient greedy = AsyncRpcClient.builder().address(server.address()).build();
            List<AsyncCall<Integer>> parked = new ArrayList<>();
            try {
                for (int i = 0; i < 200; i++) {
                    parked.add(greedy.proxy(Limits.class).park(InPipe.create()));
                }
                await("a connection's quota of workers parked", () -> endpoint.parked.get() == 32);
                await("the rest queued", () -> server.queuedWork() == 168);
                assertThat(server.busyWorkers()).isEqualTo(32);
                assertThat(server.activeCalls()).isEqualTo(200);
                try (AsyncRpcClient fresh = AsyncRpcClient.builder().address(server.address()).build()) {
                    long t0 = System.nanoTime();
                    assertThat(fresh.proxy(Limits.class).plain(42)).isEqualTo(42);
                    long millis = (System.nanoTime() - t0) / 1_000_000;
                    System.out.println("a fresh client's call with 200 calls parked on in-pipes: " + millis + " ms");
                    assertThat(millis).isLessThan(2_000);
                }
                assertThat(endpoint.parked.get()).as("the parked connection got no more workers").isEqualTo(32);
            }
            finally {
                greedy.close();
            }
            await("parked calls ended with their connection", () -> server.activeCalls() == 0 && server.busyWorkers() == 0
                    && server.queuedWork() == 0);
        }
    }

    @Test
    void parkedWorkersAreReplacedUpToTheirLimitAndAWaitBeyondFailsResourceExhausted() {
        Endpoint endpoint = new Endpoint();
        try (AsyncRpcServer server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(endpoint).workerThreads(2)
                .maxParkedWorkers(3).build().start()) {
            List<AsyncRpcClient> greedy = new ArrayList<>();
            List<AsyncCall<Integer>> parked = new ArrayList<>();
            try {
                for (int c = 0; c < 4; c++) { // one call per connection: the quota (1 of 2 workers) is not what limits them
                    AsyncRpcClient client = AsyncRpcClient.builder().address(server.address()).build();
                    greedy.add(client);
                    parked.add(client.proxy(Limits.class).park(InPipe.create()));
                }
                await("3 parked and 1 refused", () -> server.parkedWorkers() == 3 && server.parkRefusals() == 1);
                List<RemoteCallException> refused = new ArrayList<>();
                for (AsyncCall<Integer> call : parked) {
                    call.toCompletableFuture().exceptionally(ex -> {
                        synchronized (refused) {
                            refused.add((RemoteCallException) ex);
                        }
                        return null;
                    });
                }
                await("the refused call failed", () -> {
                    synchronized (refused) {
                        return refused.size() == 1;
                    }
                });
                assertThat(refused.get(0).status()).isEqualTo(Status.RESOURCE_EXHAUSTED);
                assertThat(refused.get(0).getMessage()).contains("3 worker threads waiting for pipe data", "asyncrpc.server.max-parked-workers");
                try (AsyncRpcClient fresh = AsyncRpcClient.builder().address(server.address()).build()) {
                    for (int i = 0; i < 10; i++) {
                        assertThat(fresh.proxy(Limits.class).plain(i)).as("answered while every worker of the maximum is parked").isEqualTo(i);
                    }
                }
                assertThat(server.workerThreads()).as("at most workerThreads + maxParkedWorkers").isLessThanOrEqualTo(2 + 3);
            }
            finally {
                greedy.forEach(AsyncRpcClient::close);
            }
            await("parked calls ended with their connections", () -> server.activeCalls() == 0 && server.parkedWorkers() == 0
                    && server.busyWorkers() == 0);
            await("the extra threads retired", () -> server.workerThreads() <= 2);
        }
    }
}
