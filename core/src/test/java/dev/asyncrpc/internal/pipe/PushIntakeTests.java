package dev.asyncrpc.internal.pipe;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.asyncrpc.RemoteCallException;
import dev.asyncrpc.Status;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The push side: acceptance within the window, deferral, appending small pushes, send complete. */
class PushIntakeTests {

    private final SenderFixture f = new SenderFixture();

    @AfterEach
    void close() {
        this.f.close();
    }

    @Test
    void pushesBeforeTheAttachWaitAsReferencesAndAreEncodedByARefill() {
        CompletableFuture<Void> early = this.f.intake.push(List.of(new byte[10], new byte[20]), true).toCompletableFuture();
        assertThat(early).isNotDone();
        assertThat(this.f.state.deferred.size()).isEqualTo(1);
        this.f.attach(64 * 1024);
        this.f.state.refillScheduled = true;
        assertThat(this.f.intake.refill()).isNull();
        assertThat(this.f.state.refillScheduled).isFalse();
        assertThat(early).isCompleted();
        assertThat(this.f.state.encodedElements).isEqualTo(2);
        assertThat(this.f.state.flow.queuedBytes()).isEqualTo(3 + 4 + 10 + 4 + 20);
    }

    @Test
    void aPushWithinTheWindowIsAcceptedAtOnceAndOneBeyondItWaits() {
        this.f.attach(8192);
        CompletableFuture<Void> first = this.f.intake.push(List.of(new byte[3000]), true).toCompletableFuture();
        CompletableFuture<Void> second = this.f.intake.push(List.of(new byte[3000]), true).toCompletableFuture();
        CompletableFuture<Void> third = this.f.intake.push(List.of(new byte[3000]), true).toCompletableFuture();
        assertThat(first).isCompleted();
        assertThat(second).isCompleted();
        assertThat(third).isNotDone();
        assertThat(this.f.state.flow.queuedBytes()).isEqualTo(3 * 3007);
    }

    @Test
    void smallPushesShareTheLastQueuedFrame() {
        this.f.attach(64 * 1024);
        this.f.intake.push(List.of(new byte[100]), true);
        for (int i = 0; i < 5; i++) {
            assertThat(this.f.intake.push(List.of(new byte[100]), true).toCompletableFuture()).isCompleted();
        }
        this.f.writer.run();
        List<ByteBuf> out = this.f.written();
        assertThat(out).hasSize(2); // the first frame had no room; the second took the next four
        assertThat(this.f.state.flow.sentElements()).isEqualTo(6);
        SenderFixture.release(out);
    }

    @Test
    void sendCompleteFollowsTheWriteOfEverythingBefore() {
        this.f.attach(64 * 1024);
        assertThat(this.f.intake.whenSent().toCompletableFuture()).isCompleted(); // nothing queued
        this.f.intake.push(List.of(new byte[100]), true);
        CompletableFuture<Void> sent = this.f.intake.whenSent().toCompletableFuture();
        assertThat(sent).isNotDone();
        this.f.writer.run();
        assertThat(sent).isNotDone(); // completed off the loop
        this.f.executor.runAll();
        assertThat(sent).isCompleted();
        SenderFixture.release(this.f.written());
    }

    @Test
    void aPushAfterAFailureFailsWithTheFailure() {
        this.f.attach(64 * 1024);
        this.f.ending.fail(new RemoteCallException(Status.UNAVAILABLE, "lost"), () -> { });
        CompletableFuture<Void> late = this.f.intake.push(List.of(new byte[1]), true).toCompletableFuture();
        assertThat(late).isCompletedExceptionally();
        assertThat(failure(late)).isInstanceOfSatisfying(RemoteCallException.class, ex -> assertThat(ex.status()).isEqualTo(Status.UNAVAILABLE));
        assertThat(this.f.intake.whenSent().toCompletableFuture()).isCompletedExceptionally();
    }

    @Test
    void aPushAfterCloseIsRefusedWithCancelled() {
        this.f.attach(64 * 1024);
        this.f.ending.end(null);
        CompletableFuture<Void> late = this.f.intake.push(List.of(new byte[1]), true).toCompletableFuture();
        assertThat(failure(late)).isInstanceOfSatisfying(RemoteCallException.class, ex -> assertThat(ex.status()).isEqualTo(Status.CANCELLED));
    }

    private static Throwable failure(CompletableFuture<Void> f) {
        assertThat(f).isCompletedExceptionally();
        return f.handle((v, ex) -> ex).join();
    }
}
