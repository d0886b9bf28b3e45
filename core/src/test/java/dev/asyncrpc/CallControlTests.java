package dev.asyncrpc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The call handle, cancel in both modes, server-side cancel and disconnect, deadlines, completion queues. */
class CallControlTests {

    @RemoteService("work")
    interface Work {
        @AsyncRemote
        AsyncCall<String> run(String mode, int millis);
    }

    @RemoteService("work")
    interface WorkEndpoint {
        @AsyncRemote
        void run(String mode, int millis, AsyncReply<String> reply, ServerCall call);
    }

    /** Behaviours selected by the mode argument; records what the implementation saw. */
    static final class Worker implements WorkEndpoint {
        final ExecutorService pool = Executors.newCachedThreadPool();
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch sawCancel = new CountDownLatch(1);
        final AtomicInteger cancelActions = new AtomicInteger();
        final AtomicInteger disconnectActions = new AtomicInteger();
        final AtomicReference<Duration> remainingAtStart = new AtomicReference<>();
        volatile AsyncReply<String> lastReply;

        @Override
        public void run(String mode, int millis, AsyncReply<String> reply, ServerCall call) {
            this.lastReply = reply;
            call.remaining().ifPresent(this.remainingAtStart::set);
            call.onCancel(this.cancelActions::incrementAndGet);
            call.onDisconnect(this.disconnectActions::incrementAndGet);
            this.pool.execute(() -> {
                this.started.countDown();
                long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
                switch (mode) {
                    case "ignore" -> {
                        pace(end, () -> false);
                        reply.complete("done");
                    }
                    case "poll" -> {
                        if (pace(end, call::isCancelled)) {
                            this.sawCancel.countDown();
                            reply.abort(Status.CANCELLED, "stopped on request");
                        }
                        else {
                            reply.complete("done");
                        }
                    }
                    case "hold" -> { } // the test completes lastReply itself
                    default -> reply.complete(mode);
                }
            });
        }

        /** Work in 10 ms steps until {@code end} or until {@code stop} says so; true if stopped. */
        private static boolean pace(long end, java.util.function.BooleanSupplier stop) {
            while (System.nanoTime() < end) {
                if (stop.getAsBoolean()) {
                    return true;
                }
                try {
                    Thread.sleep(10); // simulated work between polls of isCancelled()
                }
                catch (InterruptedException ex) {
                    return true;
                }
            }
            return false;
        }
    }

    private AsyncRpcServer server;
    private AsyncRpcClient client;
    private Worker worker;

    @AfterEach
    void close() {
        if (this.client != null) {
            this.client.close();
        }
        if (this.server != null) {
            this.server.close();
        }
        if (this.worker != null) {
            this.worker.pool.shutdownNow();
        }
    }

    private Work start() {
        this.worker = new Worker();
        this.server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(this.worker).build().start();
        this.client = AsyncRpcClient.builder().address(this.server.address()).build();
        return this.client.proxy(Work.class);
    }

    @Test
    void stateIsPendingUntilTheReplyThenCompleteAndPollingChangesNothing() throws Exception {
        Work work = start();
        AsyncCall<String> call = work.run("hold", 0);
        assertThat(this.worker.started.await(10, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < 1_000_000; i++) {
            if (call.state() != CallState.PENDING) {
                throw new AssertionError("state changed while pending at poll " + i);
            }
        }
        this.worker.lastReply.complete("value");
        assertThat(call.join(Duration.ofSeconds(10))).isEqualTo("value");
        for (int i = 0; i < 1_000_000; i++) {
            if (call.state() != CallState.COMPLETE) {
                throw new AssertionError("state changed after completion at poll " + i);
            }
        }
        assertThat(call.join()).isEqualTo("value");
    }

    @Test
    void gracefulCancelThatTheImplementationIgnoresStillDeliversTheValue() throws Exception {
        Work work = start();
        AsyncCall<String> call = work.run("ignore", 300);
        assertThat(this.worker.started.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(call.cancel(CancelMode.GRACEFUL)).isTrue();
        assertThat(call.state()).isEqualTo(CallState.PENDING);
        assertThat(call.join(Duration.ofSeconds(10))).isEqualTo("done");
        assertThat(call.state()).isEqualTo(CallState.COMPLETE);
        assertThat(this.worker.cancelActions.get()).isEqualTo(1);
    }

    @Test
    void gracefulCancelThatTheImplementationHonoursEndsCancelledWithin100Ms() throws Exception {
        Work work = start();
        AsyncCall<String> call = work.run("poll", 10_000);
        assertThat(this.worker.started.await(10, TimeUnit.SECONDS)).isTrue();
        long start = System.nanoTime();
        call.cancel(CancelMode.GRACEFUL);
        assertThatThrownBy(() -> call.join(Duration.ofSeconds(10)))
                .isInstanceOfSatisfying(RemoteCallException.class, ex -> assertThat(ex.status()).isEqualTo(Status.CANCELLED))
                .hasMessageContaining("stopped on request");
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.println("graceful cancel honoured after " + millis + " ms");
        assertThat(millis).isLessThan(100);
        assertThat(call.state()).isEqualTo(CallState.CANCELLED);
    }

    @Test
    void abortiveCancelNotifiesAtOnceTellsTheImplementationAndIgnoresTheLateReply() throws Exception {
        Work work = start();
        AsyncCall<String> call = work.run("poll", 10_000);
        AtomicInteger notifications = new AtomicInteger();
        CountDownLatch notified = new CountDownLatch(1);
        call.whenDone((v, t) -> {
            notifications.incrementAndGet();
            notified.countDown();
        }, Runnable::run);
        assertThat(this.worker.started.await(10, TimeUnit.SECONDS)).isTrue();
        long start = System.nanoTime();
        assertThat(call.cancel(CancelMode.ABORTIVE)).isTrue();
        assertThat(notified.await(1, TimeUnit.SECONDS)).isTrue();
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(millis).isLessThan(50);
        assertThat(call.state()).isEqualTo(CallState.CANCELLED);
        assertThatThrownBy(call::join).isInstanceOfSatisfying(RemoteCallException.class, ex -> assertThat(ex.status()).isEqualTo(Status.CANCELLED));
        assertThat(this.worker.sawCancel.await(10, TimeUnit.SECONDS)).as("the implementation saw the cancel").isTrue();
        // the implementation's late abort reaches the client, which ignores it: a later call proves the reply was read
        assertThat(work.run("ping", 0).join(Duration.ofSeconds(10))).isEqualTo("ping");
        assertThat(notifications.get()).isEqualTo(1);
        assertThat(call.cancel(CancelMode.ABORTIVE)).isFalse();
    }

    @Test
    void completableFutureCancelIsAbortive() throws Exception {
        Work work = start();
        AsyncCall<String> call = work.run("poll", 10_000);
        assertThat(this.worker.started.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(call.toCompletableFuture().cancel(true)).isTrue();
        assertThat(call.state()).isEqualTo(CallState.CANCELLED);
        assertThat(this.worker.sawCancel.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aReplyHandleCompletesExactlyOnce() throws Exception {
        Work work = start();
        AsyncCall<String> call = work.run("hold", 0);
        assertThat(this.worker.started.await(10, TimeUnit.SECONDS)).isTrue();
        this.worker.lastReply.complete("first");
        assertThatIllegalStateException().isThrownBy(() -> this.worker.lastReply.complete("second"))
                .withMessageContaining("was already sent");
        assertThatIllegalStateException().isThrownBy(() -> this.worker.lastReply.abort(Status.INTERNAL, "late"));
        assertThat(call.join(Duration.ofSeconds(10))).isEqualTo("first");
        assertThat(work.run("next", 0).join(Duration.ofSeconds(10))).isEqualTo("next");
    }

    @Test
    void completionQueueReportsEachCallOnceWithItsKeyAndAttachment() throws Exception {
        Work work = start();
        CompletionQueue queue = new CompletionQueue();
        List<AsyncReply<String>> replies = new ArrayList<>();
        CountDownLatch all = new CountDownLatch(1000);
        WorkEndpoint holder = (mode, millis, reply, call) -> {
            synchronized (replies) {
                replies.add(reply);
            }
            all.countDown();
        };
        this.server.close();
        this.client.close();
        this.server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(holder).build().start();
        this.client = AsyncRpcClient.builder().address(this.server.address()).build();
        work = this.client.proxy(Work.class);
        List<Object> attachments = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            Object attachment = new Object();
            attachments.add(attachment);
            work.run("q" + i, 0).notify(queue, i, attachment);
        }
        assertThat(all.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(queue.poll()).as("nothing completes while all calls are pending").isNull();
        synchronized (replies) {
            replies.forEach(r -> r.complete("ok"));
        }
        Set<Object> keys = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            Completion c = queue.poll(Duration.ofSeconds(10));
            assertThat(c).isNotNull();
            assertThat(keys.add(c.key())).as("key " + c.key() + " reported once").isTrue();
            assertThat(c.attachment()).isSameAs(attachments.get((Integer) c.key()));
            assertThat(c.call().state()).isEqualTo(CallState.COMPLETE);
        }
        assertThat(queue.poll()).isNull();
        assertThat(keys).hasSize(1000);
    }

    @Test
    void deadlineFailsTheCallOnBothSidesAndTheImplementationSeesTheCancel() throws Exception {
        start();
        Work work = this.client.proxy(Work.class, CallOptions.DEFAULT.withTimeout(Duration.ofMillis(100)));
        long start = System.nanoTime();
        AsyncCall<String> call = work.run("poll", 10_000);
        assertThatThrownBy(() -> call.join(Duration.ofSeconds(10)))
                .isInstanceOfSatisfying(RemoteCallException.class, ex -> assertThat(ex.status()).isEqualTo(Status.DEADLINE_EXCEEDED));
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.println("deadline of 100 ms fired after " + millis + " ms");
        assertThat(millis).isBetween(90L, 1_000L); // 100 ms plus scheduling on a loaded 2-core machine
        assertThat(this.worker.sawCancel.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(this.worker.remainingAtStart.get()).isNotNull().isLessThanOrEqualTo(Duration.ofMillis(100));
        assertThat(call.state()).isEqualTo(CallState.FAILED);
    }

    @Test
    void droppedConnectionFiresOnDisconnectOnceAndNeverOnCancel() throws Exception {
        Work work = start();
        AsyncCall<String> call = work.run("hold", 0);
        assertThat(this.worker.started.await(10, TimeUnit.SECONDS)).isTrue();
        this.client.close();
        assertThat(call.state()).isEqualTo(CallState.FAILED);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (this.worker.disconnectActions.get() == 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(this.worker.disconnectActions.get()).isEqualTo(1);
        assertThat(this.worker.cancelActions.get()).isZero();
    }

    @RemoteService("race")
    interface Race {
        @AsyncRemote
        AsyncCall<String> go(int i);
    }

    @RemoteService("race")
    interface RaceEndpoint {
        @AsyncRemote
        void go(int i, AsyncReply<String> reply, ServerCall call);
    }

    @Test
    void noActionRunsAfterTheCallCompletedUnderRandomRaces() throws Exception {
        int iterations = 10_000;
        AtomicInteger violations = new AtomicInteger();
        AtomicInteger actionsRun = new AtomicInteger();
        Set<Integer> completed = ConcurrentHashMap.newKeySet();
        ExecutorService racers = Executors.newFixedThreadPool(2);
        RaceEndpoint endpoint = (i, reply, call) -> {
            Runnable action = () -> {
                actionsRun.incrementAndGet();
                if (completed.contains(i)) {
                    violations.incrementAndGet();
                }
            };
            call.onCancel(action);
            call.onDisconnect(action);
            racers.execute(() -> {
                if (i % 3 != 0) {
                    Thread.onSpinWait();
                }
                // no lock of ours: complete() returns only once the actions running now have returned,
                // and no action starts after it, so an action that sees i completed is a violation
                if (!reply.isDone()) {
                    try {
                        reply.complete("v");
                        completed.add(i);
                    }
                    catch (IllegalStateException alreadyEnded) {
                        // the deadline or an abort ended it first
                    }
                }
            });
        };
        try (AsyncRpcServer s = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(endpoint).build().start();
                AsyncRpcClient c = AsyncRpcClient.builder().address(s.address()).build()) {
            Race race = c.proxy(Race.class);
            java.util.Random random = new java.util.Random(7);
            List<AsyncCall<String>> calls = new ArrayList<>(iterations);
            for (int i = 0; i < iterations; i++) {
                AsyncCall<String> call = race.go(i);
                calls.add(call);
                if (random.nextBoolean()) {
                    call.cancel(random.nextBoolean() ? CancelMode.GRACEFUL : CancelMode.ABORTIVE);
                }
            }
            for (AsyncCall<String> call : calls) {
                try {
                    call.join(Duration.ofSeconds(30));
                }
                catch (RemoteCallException expected) {
                    assertThat(expected.status()).isEqualTo(Status.CANCELLED);
                }
            }
        }
        finally {
            racers.shutdownNow();
        }
        System.out.println("race: " + actionsRun.get() + " cancel actions ran before completion, " + violations.get() + " after");
        assertThat(violations.get()).isZero();
    }
}
