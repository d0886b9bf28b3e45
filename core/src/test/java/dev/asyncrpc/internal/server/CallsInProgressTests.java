package dev.asyncrpc.internal.server;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(30)
class CallsInProgressTests {

    private final CallsInProgress calls = new CallsInProgress();

    @Test
    void callsStartUpToTheLimitAndAnEndedCallMakesRoom() {
        this.calls.limit(2);
        assertThat(this.calls.tryCallStarted()).isTrue();
        assertThat(this.calls.tryCallStarted()).isTrue();
        assertThat(this.calls.tryCallStarted()).isFalse();
        assertThat(this.calls.active()).isEqualTo(2);
        this.calls.callEnded();
        assertThat(this.calls.tryCallStarted()).isTrue();
        assertThat(this.calls.maxCallsInProgress()).isEqualTo(2);
    }

    @Test
    void refusalsAreCounted() {
        this.calls.refused();
        this.calls.refused();
        assertThat(this.calls.refusedCalls()).isEqualTo(2);
    }

    @Test
    void drainingWaitsForTheLastCallToEnd() throws Exception {
        assertThat(this.calls.tryCallStarted()).isTrue();
        assertThat(this.calls.tryCallStarted()).isTrue();
        this.calls.startDraining();
        assertThat(this.calls.isDraining()).isTrue();
        CompletableFuture<Integer> left = CompletableFuture.supplyAsync(() -> this.calls.awaitNone(System.nanoTime() + TimeUnit.SECONDS.toNanos(20)));
        this.calls.callEnded();
        this.calls.callEnded();
        assertThat(left.get(20, TimeUnit.SECONDS)).isZero();
    }

    @Test
    void drainingGivesUpAtTheDeadlineAndTellsHowManyCallsAreLeft() {
        assertThat(this.calls.tryCallStarted()).isTrue();
        this.calls.startDraining();
        assertThat(this.calls.awaitNone(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20))).isEqualTo(1);
    }

    @Test
    void withNoCallInProgressTheDrainIsDoneAtOnce() {
        this.calls.startDraining();
        assertThat(this.calls.awaitNone(System.nanoTime())).isZero();
    }
}
