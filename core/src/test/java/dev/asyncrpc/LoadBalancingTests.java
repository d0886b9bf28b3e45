package dev.asyncrpc;

import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Client-side load balancing over several servers on loopback: a name served by an injected
 * resolver (as a Kubernetes headless Service would be by DNS), comma lists, causal affinity.
 */
class LoadBalancingTests {

    private static final String NAME = "calc.lb.test";

    private static final Duration REFRESH = Duration.ofMillis(300);

    @RemoteService("counter")
    interface Counter {

        @AsyncRemote
        CompletableFuture<String> hit(int n);

        String hitNow(int n);

        /** Completes when the test releases the instance's held calls. */
        @AsyncRemote
        CompletableFuture<String> held(int n);
    }

    /** One server instance: answers with its own name and counts what it served. */
    static final class Instance implements Counter {

        final String name;
        final AtomicInteger calls = new AtomicInteger();
        final AtomicLong firstCallNanos = new AtomicLong();
        final CountDownLatch served = new CountDownLatch(1);
        final AsyncRpcServer server;

        Instance(String name) {
            this.name = name;
            this.server = AsyncRpcServer.builder().host("127.0.0.1").port(0).ioThreads(1).workerThreads(4).service(this).build().start();
        }

        @Override
        public CompletableFuture<String> hit(int n) {
            return CompletableFuture.completedFuture(hitNow(n));
        }

        @Override
        public String hitNow(int n) {
            if (this.calls.getAndIncrement() == 0) {
                this.firstCallNanos.set(System.nanoTime());
                this.served.countDown();
            }
            return this.name;
        }

        final List<CompletableFuture<String>> holding = new CopyOnWriteArrayList<>();

        @Override
        public CompletableFuture<String> held(int n) {
            hitNow(n);
            CompletableFuture<String> f = new CompletableFuture<>();
            this.holding.add(f);
            return f;
        }

        void release() {
            for (CompletableFuture<String> f : this.holding) {
                this.holding.remove(f);
                f.complete(this.name);
            }
        }

        InetSocketAddress address() {
            return new InetSocketAddress("127.0.0.1", this.server.port());
        }
    }

    /** What the test's "DNS" answers for {@link #NAME}: loopback addresses only. */
    private final List<InetSocketAddress> records = new CopyOnWriteArrayList<>();

    private final AtomicInteger resolutions = new AtomicInteger();

    private final List<Instance> instances = new ArrayList<>();

    private final AddressResolver resolver = (host, port) -> {
        if (!host.equals(NAME)) {
            throw new UnknownHostException(host);
        }
        this.resolutions.incrementAndGet();
        return List.copyOf(this.records);
    };

    @AfterEach
    void stopServers() {
        this.instances.forEach((i) -> i.server.close());
    }

    private Instance start(String name) {
        Instance i = new Instance(name);
        this.instances.add(i);
        return i;
    }

    @Test
    void spreadsCallsOverEveryEndpointOfANameFollowsAdditionsAndRemovals() throws Exception {
        Instance a = start("a");
        Instance b = start("b");
        Instance c = start("c");
        this.records.addAll(List.of(a.address(), b.address(), c.address()));
        try (AsyncRpcClient client = AsyncRpcClient.builder().address(NAME + ":7443").refreshInterval(REFRESH).resolver(this.resolver)
                .ordering(Ordering.NONCAUSAL).build()) {
            assertThat(client.endpoints()).hasSize(3);
            Counter counter = client.proxy(Counter.class);
            Map<String, AtomicInteger> replies = new ConcurrentHashMap<>();
            callInWindows(counter, 3000, 64, replies);
            System.out.printf("spread over 3 endpoints, 3000 calls: a=%d b=%d c=%d%n", a.calls.get(), b.calls.get(), c.calls.get());
            for (Instance i : List.of(a, b, c)) {
                assertThat(i.calls.get()).as("calls served by %s", i.name).isGreaterThanOrEqualTo(600);
                assertThat(replies.get(i.name).get()).isEqualTo(i.calls.get());
            }

            // a fourth instance joins the name: it takes calls within one refresh interval
            Instance d = start("d");
            long added = System.nanoTime();
            this.records.add(d.address());
            callUntil(counter, d.served, REFRESH.multipliedBy(10));
            long toFirstCall = d.firstCallNanos.get() - added;
            System.out.printf("fourth endpoint added: first call after %d ms (refresh interval %d ms)%n",
                    TimeUnit.NANOSECONDS.toMillis(toFirstCall), REFRESH.toMillis());
            assertThat(Duration.ofNanos(toFirstCall)).isLessThanOrEqualTo(REFRESH.plusMillis(200));

            // one leaves the name: after the next resolution it takes no more calls
            long removedAt = System.nanoTime();
            this.records.remove(a.address());
            int seen = this.resolutions.get();
            awaitResolutions(seen + 2);
            long afterNanos = System.nanoTime() - removedAt;
            assertThat(client.endpoints()).hasSize(3).doesNotContain("127.0.0.1:" + a.server.port());
            int before = a.calls.get();
            callInWindows(counter, 2000, 64, replies);
            System.out.printf("endpoint removed (resolution seen %d ms later): it served %d calls of 2000 after that, b=%d c=%d d=%d%n",
                    TimeUnit.NANOSECONDS.toMillis(afterNanos), a.calls.get() - before, b.calls.get(), c.calls.get(), d.calls.get());
            assertThat(a.calls.get()).as("calls to the removed endpoint").isEqualTo(before);
            assertThat(d.calls.get()).isGreaterThan(300);
        }
    }

    @Test
    void aCommaListBalancesWithoutResolving() throws Exception {
        Instance a = start("a");
        Instance b = start("b");
        try (AsyncRpcClient client = AsyncRpcClient.builder().address(a.server.address() + ", " + b.server.address())
                .ordering(Ordering.NONCAUSAL).build()) {
            assertThat(client.address()).isEqualTo(a.server.address() + "," + b.server.address());
            Counter counter = client.proxy(Counter.class);
            callInWindows(counter, 1000, 32, new ConcurrentHashMap<>());
            assertThat(a.calls.get()).isGreaterThan(250);
            assertThat(b.calls.get()).isGreaterThan(250);
            assertThat(a.calls.get() + b.calls.get()).isEqualTo(1000);
        }
    }

    @Test
    void synchronousCallsAreBalancedToo() {
        Instance a = start("a");
        Instance b = start("b");
        try (AsyncRpcClient client = AsyncRpcClient.builder().addresses(a.server.address(), b.server.address()).build()) {
            Counter counter = client.proxy(Counter.class);
            awaitEligible(client, counter, a, b);
            int a0 = a.calls.get();
            int b0 = b.calls.get();
            for (int i = 0; i < 400; i++) {
                counter.hitNow(i);
            }
            // each synchronous call finishes before the next: no affinity holds the thread
            assertThat(a.calls.get() - a0).isGreaterThan(100);
            assertThat(b.calls.get() - b0).isGreaterThan(100);
        }
    }

    @Test
    void causalCallsOfAThreadStayOnOneEndpointWhileInFlight() throws Exception {
        Instance a = start("a");
        Instance b = start("b");
        try (AsyncRpcClient client = AsyncRpcClient.builder().addresses(a.server.address(), b.server.address()).build()) {
            Counter counter = client.proxy(Counter.class);
            awaitEligible(client, counter, a, b);
            java.util.Set<String> firstServers = new java.util.HashSet<>();
            for (int round = 0; round < 20; round++) {
                // the servers hold every call of the burst: all 50 are in flight together
                List<CompletableFuture<String>> burst = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    burst.add(counter.held(i));
                }
                Instance target = awaitHeld(50, a, b);
                assertThat(a.holding.size() + b.holding.size()).as("causal calls of one thread in flight on one endpoint").isEqualTo(50)
                        .isEqualTo(target.holding.size());
                a.release();
                b.release();
                List<String> servers = new ArrayList<>();
                for (CompletableFuture<String> f : burst) {
                    servers.add(f.get(10, TimeUnit.SECONDS));
                }
                assertThat(servers.stream().distinct().toList()).containsExactly(target.name);
                firstServers.add(target.name);
            }
            // between bursts nothing is in flight, so the thread's next call is balanced afresh
            assertThat(firstServers).containsExactlyInAnyOrder("a", "b");
        }
    }

    @Test
    void closingTheClientFailsCallsWaitingToBeSentAgain() throws Exception {
        // nothing listens on these loopback ports: every attempt fails before it is written
        String nowhere = "127.0.0.1:" + closedPort() + ",127.0.0.1:" + closedPort();
        AsyncRpcClient client = AsyncRpcClient.builder().address(nowhere).maxAttempts(50).build();
        CompletableFuture<String> call = client.proxy(Counter.class).hit(1);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (client.retriedCalls() < 2 && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        assertThat(client.retriedCalls()).isGreaterThanOrEqualTo(2);
        assertThat(call).isNotDone();
        client.close();
        assertThat(call).failsWithin(Duration.ofSeconds(5)).withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .havingCause().isInstanceOfSatisfying(RemoteCallException.class, (ex) -> assertThat(ex.status()).isEqualTo(Status.UNAVAILABLE));
        assertThat(client.pendingCalls()).isZero();
    }

    @Test
    void cancellingABalancedCallCancelsItOnItsEndpoint() throws Exception {
        Instance a = start("a");
        Instance b = start("b");
        try (AsyncRpcClient client = AsyncRpcClient.builder().addresses(a.server.address(), b.server.address()).build()) {
            Counter counter = client.proxy(Counter.class);
            CompletableFuture<String> call = counter.held(1);
            Instance target = awaitHeld(1, a, b);
            assertThat(call.cancel(true)).isTrue();
            assertThat(call).isCancelled();
            // the server was told: its call is cancelled too, so the held future completes exceptionally
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!target.holding.get(0).isDone() && System.nanoTime() < deadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
            assertThat(target.holding.get(0)).isCancelled();
            assertThat(client.pendingCalls()).isZero();
        }
    }

    private static int closedPort() throws java.io.IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void rejectsBadAddressLists() {
        assertThatIllegalArgumentException().isThrownBy(() -> AsyncRpcClient.builder().address("127.0.0.1:1,,127.0.0.1:2"))
                .withMessageContaining("empty entry");
        assertThatIllegalArgumentException().isThrownBy(() -> AsyncRpcClient.builder().address("127.0.0.1:1,nonsense"))
                .withMessageContaining("nonsense");
        assertThatIllegalArgumentException().isThrownBy(() -> AsyncRpcClient.builder().refreshInterval(Duration.ZERO))
                .withMessageContaining("refreshInterval");
        assertThatIllegalArgumentException().isThrownBy(() -> AsyncRpcClient.builder().maxAttempts(0)).withMessageContaining("maxAttempts");
    }

    @Test
    void aNameWithoutEndpointsFailsCallsAsNotSentUntilOneAppears() throws Exception {
        try (AsyncRpcClient client = AsyncRpcClient.builder().address(NAME + ":7443").refreshInterval(REFRESH).resolver(this.resolver)
                .maxAttempts(2).build()) {
            Counter counter = client.proxy(Counter.class);
            RemoteCallException ex = org.assertj.core.api.Assertions.catchThrowableOfType(RemoteCallException.class,
                    () -> counter.hitNow(1));
            assertThat(ex.status()).isEqualTo(Status.UNAVAILABLE);
            assertThat(ex.getMessage()).contains("no endpoint of " + NAME + ":7443");
            Instance a = start("a");
            this.records.add(a.address());
            callUntil(counter, a.served, REFRESH.multipliedBy(10));
            assertThat(a.calls.get()).isPositive();
        }
    }

    /** Wait (bounded) until {@code count} calls are held by the instances together; the one holding them. */
    private static Instance awaitHeld(int count, Instance... instances) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            int total = 0;
            for (Instance i : instances) {
                total += i.holding.size();
            }
            if (total >= count) {
                break;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        Instance most = instances[0];
        for (Instance i : instances) {
            if (i.holding.size() > most.holding.size()) {
                most = i;
            }
        }
        return most;
    }

    /** Wait until both instances served a call (connections are opened in the background). */
    private static void awaitEligible(AsyncRpcClient client, Counter counter, Instance... instances) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (Instance i : instances) {
            while (i.calls.get() == 0 && System.nanoTime() < deadline) {
                counter.hitNow(-1);
            }
            assertThat(i.calls.get()).as("calls reaching %s", i.name).isPositive();
        }
    }

    /** {@code total} asynchronous calls, at most {@code window} in flight. */
    private static void callInWindows(Counter counter, int total, int window, Map<String, AtomicInteger> replies) throws Exception {
        for (int sent = 0; sent < total; sent += window) {
            List<CompletableFuture<String>> batch = new ArrayList<>();
            for (int i = sent; i < Math.min(total, sent + window); i++) {
                batch.add(counter.hit(i));
            }
            for (CompletableFuture<String> f : batch) {
                replies.computeIfAbsent(f.get(10, TimeUnit.SECONDS), (k) -> new AtomicInteger()).incrementAndGet();
            }
        }
    }

    /** Keep calling (bounded in time) until {@code latch} opens. */
    private static void callUntil(Counter counter, CountDownLatch latch, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (latch.getCount() > 0 && System.nanoTime() < deadline) {
            List<CompletableFuture<String>> batch = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                batch.add(counter.hit(i));
            }
            for (CompletableFuture<String> f : batch) {
                try {
                    f.get(10, TimeUnit.SECONDS);
                }
                catch (java.util.concurrent.ExecutionException ex) {
                    // a call may fail while no endpoint exists yet
                }
            }
        }
        assertThat(latch.await(0, TimeUnit.SECONDS)).as("reached within %s", limit).isTrue();
    }

    private void awaitResolutions(int count) {
        long deadline = System.nanoTime() + REFRESH.multipliedBy(20).toNanos();
        while (this.resolutions.get() < count && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        assertThat(this.resolutions.get()).isGreaterThanOrEqualTo(count);
    }
}
