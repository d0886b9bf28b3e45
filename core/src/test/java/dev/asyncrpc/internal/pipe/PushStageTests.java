package dev.asyncrpc.internal.pipe;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A push stage is handed to the thread blocked on it, which completes it (and runs its dependents) itself. */
class PushStageTests {

    /** Wait until {@code t} parks (it waits for the stage). */
    private static void awaitParked(Thread t) {
        while (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.TIMED_WAITING) {
            Thread.onSpinWait();
        }
    }

    @Test
    void withoutAWaiterTheStageIsNotHanded() {
        PushStage s = new PushStage();
        assertThat(s.handToWaiter()).isFalse();
        assertThat(s).isNotDone();
    }

    @Test
    void aBlockedGetterCompletesTheStageAndRunsItsDependentsOnItsOwnThread() throws Exception {
        PushStage s = new PushStage();
        AtomicReference<Thread> dependentRanOn = new AtomicReference<>();
        s.thenRun(() -> dependentRanOn.set(Thread.currentThread()));
        AtomicReference<Thread> getter = new AtomicReference<>();
        CompletableFuture<Void> got = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            getter.set(Thread.currentThread());
            try {
                s.get();
                got.complete(null);
            }
            catch (Exception ex) {
                got.completeExceptionally(ex);
            }
        });
        t.start();
        awaitParked(t);
        assertThat(s.handToWaiter()).isTrue();
        got.get(10, TimeUnit.SECONDS);
        assertThat(s).isCompleted();
        assertThat(dependentRanOn.get()).isSameAs(t);
        t.join();
    }

    @Test
    void aBlockedJoinerWithATimeoutIsHandedTooAndOnlyOnce() throws Exception {
        PushStage s = new PushStage();
        CountDownLatch done = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            try {
                s.get(30, TimeUnit.SECONDS);
            }
            catch (Exception ex) {
                throw new AssertionError(ex);
            }
            done.countDown();
        });
        t.start();
        awaitParked(t);
        assertThat(s.handToWaiter()).isTrue();
        assertThat(s.handToWaiter()).isFalse();
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        t.join();
    }

    @Test
    void aFailureWakesTheWaiter() throws Exception {
        PushStage s = new PushStage();
        CompletableFuture<Throwable> seen = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                s.join();
            }
            catch (RuntimeException ex) {
                seen.complete(ex.getCause());
            }
        });
        t.start();
        awaitParked(t);
        IllegalStateException cause = new IllegalStateException("aborted");
        s.completeExceptionally(cause);
        assertThat(seen.get(10, TimeUnit.SECONDS)).isSameAs(cause);
        assertThat(s.handToWaiter()).isFalse();
        t.join();
    }

    @Test
    void aWaiterThatTimesOutLeavesAndTheStageCompletesTheUsualWay() throws Exception {
        PushStage s = new PushStage();
        assertThatThrownBy(() -> s.get(1, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
        assertThat(s.handToWaiter()).isFalse();
        s.complete(null);
        assertThat(s.get()).isNull();
    }

    @Test
    void anInterruptedWaiterLeaves() {
        PushStage s = new PushStage();
        Thread.currentThread().interrupt();
        assertThatThrownBy(s::get).isInstanceOf(InterruptedException.class);
        assertThat(s.handToWaiter()).isFalse();
    }

    @Test
    void stageCompletionsHandTheWholeBatchToABlockedWaiter() throws Exception {
        PushStage blocked = new PushStage();
        PushStage free = new PushStage();
        CompletableFuture<Void> plain = new CompletableFuture<>();
        Thread t = new Thread(() -> blocked.join());
        t.start();
        awaitParked(t);
        SenderFixture.ManualExecutor ex = new SenderFixture.ManualExecutor();
        new StageCompletions().complete(List.of(free, blocked, plain), ex);
        t.join(10_000);
        assertThat(ex.tasks).isEmpty();
        assertThat(blocked).isCompleted();
        assertThat(free).isCompleted();
        assertThat(plain).isCompleted();
    }

    @Test
    void withoutAWaiterTheBatchGoesToTheExecutor() {
        PushStage a = new PushStage();
        CompletableFuture<Void> plain = new CompletableFuture<>();
        SenderFixture.ManualExecutor ex = new SenderFixture.ManualExecutor();
        new StageCompletions().complete(List.of(a, plain), ex);
        assertThat(a).isNotDone();
        ex.runAll();
        assertThat(a).isCompleted();
        assertThat(plain).isCompleted();
    }

    @Test
    void getAfterCompletionReturnsAtOnce() throws ExecutionException, InterruptedException {
        PushStage s = new PushStage();
        s.complete(null);
        assertThat(s.get()).isNull();
        assertThat(s.join()).isNull();
    }
}
