package dev.asyncrpc;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rolling-restart drill: a client keeps 100 calls in flight against two instances; each
 * instance in turn is stopped gracefully ({@link AsyncRpcServer#shutdown(Duration)}: GOAWAY, drain)
 * and started again on the same port once the other one carries the load; no call may be lost or
 * fail with anything but a retry-safe status that the client then retried.
 */
class RollingRestartTests {

    private static final int IN_FLIGHT = 100;

    @RemoteService("work")
    interface Work {

        @AsyncRemote
        CompletableFuture<Integer> run(int n);
    }

    /** An instance whose calls take a few milliseconds, holding no thread meanwhile. */
    static final class Instance implements Work {

        private final ScheduledExecutorService timer;
        final AtomicInteger calls = new AtomicInteger();
        final CountDownLatch served = new CountDownLatch(1);

        Instance(ScheduledExecutorService timer) {
            this.timer = timer;
        }

        @Override
        public CompletableFuture<Integer> run(int n) {
            this.calls.incrementAndGet();
            this.served.countDown();
            CompletableFuture<Integer> f = new CompletableFuture<>();
            this.timer.schedule(() -> f.complete(n), 2 + (n % 7), TimeUnit.MILLISECONDS);
            return f;
        }

        AsyncRpcServer start(int port) {
            return AsyncRpcServer.builder().host("127.0.0.1").port(port).ioThreads(1).service(this).build().start();
        }
    }

    @Test
    void rollingRestartOfTwoInstancesLosesNoCall() throws Exception {
        ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
        AsyncRpcServer[] servers = new AsyncRpcServer[2];
        Instance[] instances = { new Instance(timer), new Instance(timer) };
        servers[0] = instances[0].start(0);
        servers[1] = instances[1].start(0);
        int[] ports = { servers[0].port(), servers[1].port() };
        LongAdder issued = new LongAdder();
        LongAdder succeeded = new LongAdder();
        Map<Status, LongAdder> failed = new ConcurrentHashMap<>();
        Map<Integer, Boolean> wrong = new ConcurrentHashMap<>();
        Semaphore window = new Semaphore(IN_FLIGHT);
        int[] drained = new int[2];
        try (AsyncRpcClient client = AsyncRpcClient.builder().addresses("127.0.0.1:" + ports[0], "127.0.0.1:" + ports[1])
                .timeout(Duration.ofSeconds(30)).build()) {
            // four caller threads share the window: two make causal calls (each stays on one instance
            // while it has calls in flight), two make non-causal calls (balanced call by call)
            Work causal = client.proxy(Work.class);
            Work nonCausal = client.proxy(Work.class, CallOptions.DEFAULT.withOrdering(Ordering.NONCAUSAL));
            java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
            Thread[] callers = new Thread[4];
            for (int t = 0; t < callers.length; t++) {
                Work work = (t < 2) ? causal : nonCausal;
                callers[t] = new Thread(() -> {
                    int n = 0;
                    while (running.get()) {
                        try {
                            if (!window.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                                continue;
                            }
                        }
                        catch (InterruptedException ex) {
                            return;
                        }
                        int expected = n++;
                        issued.increment();
                        work.run(expected).whenComplete((v, ex) -> {
                            if (ex == null) {
                                succeeded.increment();
                                if (v != expected) {
                                    wrong.put(expected, Boolean.TRUE);
                                }
                            }
                            else {
                                Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
                                Status s = (cause instanceof RemoteCallException rce) ? rce.status() : Status.INTERNAL;
                                failed.computeIfAbsent(s, (k) -> new LongAdder()).increment();
                            }
                            window.release();
                        });
                    }
                }, "drill-caller-" + t);
                callers[t].start();
            }
            assertThat(instances[0].served.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(instances[1].served.await(10, TimeUnit.SECONDS)).isTrue();

            for (int i = 0; i < 2; i++) {
                int before = instances[i].calls.get();
                long retriedBefore = client.retriedCalls();
                long t0 = System.nanoTime();
                drained[i] = servers[i].shutdown(Duration.ofSeconds(10));
                long stoppedAfter = System.nanoTime() - t0;
                // the other instance carries every call meanwhile; then this one comes back on its port
                Instance restarted = new Instance(timer);
                servers[i] = restarted.start(ports[i]);
                instances[i] = restarted;
                assertThat(restarted.served.await(20, TimeUnit.SECONDS)).as("restarted instance %d takes calls again", i).isTrue();
                System.out.printf("drill: instance %d served %d calls, drained in %d ms (%d left unfinished), %d calls refused and retried,"
                        + " back after %d ms%n", i, before, TimeUnit.NANOSECONDS.toMillis(stoppedAfter), drained[i],
                        client.retriedCalls() - retriedBefore, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
            }
            // let both serve for a moment, then stop issuing and wait for every call to finish
            int mark = instances[0].calls.get() + instances[1].calls.get();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (instances[0].calls.get() + instances[1].calls.get() < mark + 2000 && System.nanoTime() < until) {
                java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
            running.set(false);
            for (Thread t : callers) {
                t.join(10_000);
            }
            assertThat(window.tryAcquire(IN_FLIGHT, 30, TimeUnit.SECONDS)).as("every call finished").isTrue();
            long failures = failed.values().stream().mapToLong(LongAdder::sum).sum();
            System.out.printf("drill: issued %d, succeeded %d, retried %d, failed %d %s, wrong results %d%n", issued.sum(), succeeded.sum(),
                    client.retriedCalls(), failures, failed, wrong.size());
            assertThat(failed).as("failed calls by status").isEmpty();
            assertThat(wrong).isEmpty();
            assertThat(succeeded.sum()).isEqualTo(issued.sum());
            assertThat(drained).containsOnly(0);
            assertThat(client.pendingCalls()).as("calls still counted as pending (each retried call counts once)").isZero();
        }
        finally {
            for (AsyncRpcServer s : servers) {
                s.close();
            }
            timer.shutdownNow();
        }
    }
}
