package dev.asyncrpc.internal.server;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import static dev.asyncrpc.internal.server.WorkerPoolTests.await;
import static org.assertj.core.api.Assertions.assertThat;

/** A server call's lifecycle as a plain object: flags, cancel and disconnect actions, the returned future, on plain threads. */
class CallLifecycleTests {

    private final CallLifecycle call = new CallLifecycle();

    @Test
    void aCancelActionRunsOnceOnTheCancellingThread() {
        AtomicInteger runs = new AtomicInteger();
        AtomicReference<Thread> on = new AtomicReference<>();
        this.call.addCancelAction(() -> {
            runs.incrementAndGet();
            on.set(Thread.currentThread());
        });
        assertThat(runs.get()).isZero();
        this.call.cancelled(false);
        this.call.cancelled(true);
        assertThat(runs.get()).isEqualTo(1);
        assertThat(on.get()).isSameAs(Thread.currentThread());
        assertThat(this.call.isCancelled()).isTrue();
        assertThat(this.call.isDone()).isFalse();
    }

    @Test
    void aDisconnectRunsTheDisconnectActionsOnlyAndCountsAsCancelled() {
        AtomicInteger cancels = new AtomicInteger();
        AtomicInteger disconnects = new AtomicInteger();
        this.call.addCancelAction(cancels::incrementAndGet);
        this.call.addDisconnectAction(disconnects::incrementAndGet);
        this.call.disconnected();
        this.call.disconnected();
        assertThat(disconnects.get()).isEqualTo(1);
        assertThat(cancels.get()).isZero();
        assertThat(this.call.isCancelled()).isTrue();
    }

    @Test
    void anActionRegisteredAfterItsEventRunsAtOnceOnTheRegisteringThread() {
        this.call.cancelled(false);
        this.call.disconnected();
        List<Thread> on = new CopyOnWriteArrayList<>();
        this.call.addCancelAction(() -> on.add(Thread.currentThread()));
        this.call.addDisconnectAction(() -> on.add(Thread.currentThread()));
        assertThat(on).containsExactly(Thread.currentThread(), Thread.currentThread());
    }

    @Test
    void theCallIsDecidedOnceAndNoActionRunsAfterwards() {
        AtomicInteger runs = new AtomicInteger();
        this.call.addCancelAction(runs::incrementAndGet);
        this.call.addDisconnectAction(runs::incrementAndGet);
        assertThat(this.call.decide()).isTrue();
        assertThat(this.call.decide()).isFalse();
        this.call.cancelled(true);
        this.call.disconnected();
        this.call.addCancelAction(runs::incrementAndGet);
        this.call.addDisconnectAction(runs::incrementAndGet);
        assertThat(runs.get()).isZero();
        assertThat(this.call.isDone()).isTrue();
        assertThat(this.call.isCancelled()).as("cancelled after the reply was decided: too late").isFalse();
    }

    @Test
    void anActionThatCompletesTheCallStopsTheOnesAfterItWithoutDeadlock() {
        AtomicBoolean decided = new AtomicBoolean();
        AtomicInteger later = new AtomicInteger();
        this.call.addCancelAction(() -> decided.set(this.call.decide())); // completes from inside: this thread runs the actions
        this.call.addCancelAction(later::incrementAndGet);
        this.call.cancelled(false);
        assertThat(decided.get()).isTrue();
        assertThat(later.get()).isZero();
        assertThat(this.call.isDone()).isTrue();
    }

    @Test
    void aCompletionOnAnotherThreadWaitsForTheActionRunningThen() throws Exception {
        CountDownLatch inAction = new CountDownLatch(1);
        CountDownLatch endAction = new CountDownLatch(1);
        AtomicBoolean actionEnded = new AtomicBoolean();
        this.call.addCancelAction(() -> {
            inAction.countDown();
            try {
                assertThat(endAction.await(20, TimeUnit.SECONDS)).isTrue();
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            actionEnded.set(true);
        });
        Thread canceller = new Thread(() -> this.call.cancelled(false), "canceller");
        canceller.start();
        assertThat(inAction.await(20, TimeUnit.SECONDS)).isTrue();
        AtomicReference<Boolean> decided = new AtomicReference<>();
        AtomicBoolean endedBeforeDecided = new AtomicBoolean();
        Thread completer = new Thread(() -> {
            boolean d = this.call.decide();
            endedBeforeDecided.set(actionEnded.get());
            decided.set(d);
        }, "completer");
        completer.start();
        await("the completer waiting for the action", () -> completer.getState() == Thread.State.WAITING);
        assertThat(decided.get()).isNull();
        assertThat(this.call.isDone()).as("the monitor is free while the completer waits").isFalse();
        endAction.countDown();
        completer.join(20_000);
        canceller.join(20_000);
        assertThat(decided.get()).isTrue();
        assertThat(endedBeforeDecided.get()).isTrue();
    }

    @Test
    void aFailingActionDoesNotStopTheNextOne() {
        AtomicInteger runs = new AtomicInteger();
        this.call.addCancelAction(() -> {
            throw new IllegalStateException("test: an action that fails (logged)");
        });
        this.call.addCancelAction(runs::incrementAndGet);
        this.call.cancelled(false);
        assertThat(runs.get()).isEqualTo(1);
        assertThat(this.call.decide()).as("no action thread left behind").isTrue();
    }

    @Test
    void aDisconnectCancelsTheReturnedFuture() {
        CompletableFuture<String> future = new CompletableFuture<>();
        this.call.returned(future);
        this.call.disconnected();
        assertThat(future.isCancelled()).isTrue();
    }

    @Test
    void anAbortiveCancelCancelsTheReturnedFutureAGracefulOneDoesNot() {
        CompletableFuture<String> future = new CompletableFuture<>();
        this.call.returned(future);
        this.call.cancelled(false);
        assertThat(future.isDone()).isFalse();

        CallLifecycle other = new CallLifecycle();
        CompletableFuture<String> aborted = new CompletableFuture<>();
        other.returned(aborted);
        other.cancelled(true);
        assertThat(aborted.isCancelled()).isTrue();
    }

    @Test
    void aFutureReturnedAfterACancelIsCancelledAtOnce() {
        this.call.cancelled(false);
        CompletableFuture<String> future = new CompletableFuture<>();
        this.call.returned(future);
        assertThat(future.isCancelled()).isTrue();
    }

    @Test
    void theObservationIsKeptOnlyUntilTheCallIsDecided() {
        assertThat(this.call.wasObserved()).isFalse();
        Object token = new Object();
        this.call.observed(token);
        assertThat(this.call.decide()).isTrue();
        this.call.observed(new Object());
        assertThat(this.call.wasObserved()).isTrue();
        assertThat(this.call.observation()).isSameAs(token);

        CallLifecycle late = new CallLifecycle();
        late.decide();
        late.observed(token);
        assertThat(late.wasObserved()).isFalse();
        assertThat(late.observation()).isNull();
    }
}
