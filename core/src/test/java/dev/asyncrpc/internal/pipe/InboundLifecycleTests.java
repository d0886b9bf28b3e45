package dev.asyncrpc.internal.pipe;

import dev.asyncrpc.RemoteCallException;
import dev.asyncrpc.Status;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The receiving end's state and its transitions: an end or failure comes after the buffered data. */
class InboundLifecycleTests {

    private static final RemoteCallException ABORTED = new RemoteCallException(Status.PIPE_ERROR, "aborted");

    @Test
    void aCloseLeavesTheBufferedElementsThenEndsNormally() {
        InboundLifecycle life = new InboundLifecycle();
        assertThat(life.waits(true)).isTrue();
        assertThat(life.endArrived(null)).isTrue();
        assertThat(life.endReceived()).isTrue();
        assertThat(life.state()).isEqualTo(InboundState.CLOSED);
        assertThat(life.waits(true)).isFalse();
        assertThat(life.isClosed(false)).as("elements left to pull").isFalse();
        assertThat(life.isClosed(true)).isTrue();
        assertThat(life.endFailure()).isNull();
        assertThat(life.label(2)).isEqualTo("closed, 2 frames to pull");
    }

    @Test
    void anAbortIsACopyOfTheSendersFailureAfterTheBufferedElements() {
        InboundLifecycle life = new InboundLifecycle();
        assertThat(life.endArrived(ABORTED)).isTrue();
        assertThat(life.state()).isEqualTo(InboundState.FAILED);
        assertThat(life.isClosed(false)).isFalse();
        RemoteCallException got = life.endFailure();
        assertThat(got).isNotSameAs(ABORTED);
        assertThat(got.status()).isEqualTo(Status.PIPE_ERROR);
        assertThat(got.description()).isEqualTo("aborted");
        assertThat(life.isDrained()).isTrue();
    }

    @Test
    void onlyAnOpenEndFailsAndAnEndAfterAFailureChangesNothing() {
        InboundLifecycle life = new InboundLifecycle();
        assertThat(life.fail(ABORTED)).isTrue();
        assertThat(life.fail(new RemoteCallException(Status.CANCELLED, "late"))).isFalse();
        assertThat(life.endArrived(null)).as("no wake: the state stays").isFalse();
        assertThat(life.endReceived()).isTrue();
        assertThat(life.failure().description()).isEqualTo("aborted");
    }

    @Test
    void aReleaseDiscardsEvenAfterTheEnd() {
        InboundLifecycle life = new InboundLifecycle();
        life.endArrived(null);
        life.discarded(null);
        assertThat(life.state()).as("nothing released").isEqualTo(InboundState.CLOSED);
        life.discarded(new RemoteCallException(Status.UNAVAILABLE, "released"));
        assertThat(life.state()).isEqualTo(InboundState.DISCARDED);
        assertThat(life.isClosed(false)).as("discarded data is not pulled").isTrue();
        assertThat(life.endFailure().status()).isEqualTo(Status.UNAVAILABLE);
    }

    @Test
    void anAbandonedEndIsNeverDrainedAndAbandonsOnce() {
        InboundLifecycle life = new InboundLifecycle();
        assertThat(life.abandon(new RemoteCallException(Status.CANCELLED, "cancelled"))).isTrue();
        assertThat(life.abandon(new RemoteCallException(Status.CANCELLED, "again"))).isFalse();
        assertThat(life.state()).isEqualTo(InboundState.DISCARDED);
        assertThat(life.isDrained()).isFalse();
        assertThat(life.label(0)).isEqualTo("abandoned");
    }

    @Test
    void theEndIsObservedOnce() {
        InboundLifecycle life = new InboundLifecycle();
        assertThat(life.isDrained()).isFalse();
        life.endArrived(null);
        assertThat(life.isDrained()).as("not pulled yet").isFalse();
        assertThat(life.observeEnd()).isTrue();
        assertThat(life.observeEnd()).isFalse();
        assertThat(life.isDrained()).isTrue();
    }
}
