package dev.asyncrpc.internal.pipe;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import dev.asyncrpc.RemoteCallException;
import dev.asyncrpc.Status;
import dev.asyncrpc.internal.protocol.FrameType;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The close/abort side: the end after the data, an abort after the accepted data, a failure. */
class SenderEndingTests {

    private final SenderFixture f = new SenderFixture();

    @AfterEach
    void close() {
        this.f.close();
    }

    @Test
    void closingTwiceGivesTheSameStage() {
        this.f.attach(64 * 1024);
        CompletionStage<Void> a = this.f.ending.end(null);
        assertThat(this.f.ending.end(null)).isSameAs(a);
        assertThat(this.f.state.state).isEqualTo(OutboundState.CLOSING);
    }

    @Test
    void theEndBeforeTheAttachWaitsBehindDeferredPushes() {
        this.f.intake.push(List.of(new byte[10]), true);
        CompletionStage<Void> closed = this.f.ending.end(null);
        assertThat(this.f.state.deferred.size()).isEqualTo(2);
        this.f.attach(64 * 1024);
        this.f.intake.refill();
        this.f.writer.run();
        this.f.executor.runAll();
        assertThat(closed.toCompletableFuture()).isCompleted();
        List<ByteBuf> out = this.f.written();
        assertThat(out).extracting(SenderFixture::type).containsExactly(FrameType.PIPE_DATA.code(), FrameType.PIPE_END.code());
        SenderFixture.release(out);
    }

    @Test
    void anAbortKeepsTheAcceptedDataAndDropsTheRest() {
        this.f.attach(8192);
        CompletableFuture<Void> accepted = this.f.intake.push(List.of(new byte[3000]), true).toCompletableFuture();
        this.f.writer.run();
        this.f.intake.push(List.of(new byte[3000]), true); // accepted, still queued
        CompletableFuture<Void> waiting = this.f.intake.push(List.of(new byte[3000]), true).toCompletableFuture();
        assertThat(accepted).isCompleted();
        assertThat(waiting).isNotDone();
        this.f.ending.abort(new RemoteCallException(Status.APPLICATION_ERROR, "stop"));
        assertThat(this.f.state.state).isEqualTo(OutboundState.ABORTING);
        assertThat(failure(waiting)).isInstanceOfSatisfying(RemoteCallException.class,
                ex -> assertThat(ex.status()).isEqualTo(Status.APPLICATION_ERROR));
        assertThat(this.f.writer.run()).isEqualTo(FrameWriter.Outcome.ENDED);
        assertThat(this.f.state.state).isEqualTo(OutboundState.ABORTED);
        List<ByteBuf> out = this.f.written();
        assertThat(out).extracting(SenderFixture::type).containsExactly(FrameType.PIPE_DATA.code(), FrameType.PIPE_DATA.code(),
                FrameType.PIPE_END.code());
        SenderFixture.release(out);
        this.f.ending.abort(new RemoteCallException(Status.APPLICATION_ERROR, "again")); // ignored
        assertThat(this.f.state.state).isEqualTo(OutboundState.ABORTED);
    }

    @Test
    void aFailureDropsEverythingAndFailsTheStagesOnTheExecutor() {
        this.f.attach(8192);
        this.f.intake.push(List.of(new byte[3000]), true);
        this.f.intake.push(List.of(new byte[3000]), true);
        CompletableFuture<Void> waiting = this.f.intake.push(List.of(new byte[3000]), true).toCompletableFuture();
        CompletableFuture<Void> closed = this.f.ending.end(null).toCompletableFuture();
        List<String> order = new ArrayList<>();
        waiting.whenComplete((v, ex) -> order.add("stage"));
        this.f.ending.fail(new RemoteCallException(Status.UNAVAILABLE, "lost"), () -> order.add("failed"));
        assertThat(this.f.state.state).isEqualTo(OutboundState.FAILED);
        assertThat(this.f.state.flow.queuedBytes()).isZero();
        assertThat(waiting).isNotDone();
        this.f.executor.runAll();
        assertThat(order).containsExactly("failed", "stage");
        assertThat(failure(closed)).isInstanceOfSatisfying(RemoteCallException.class, ex -> assertThat(ex.status()).isEqualTo(Status.UNAVAILABLE));
        List<String> again = new ArrayList<>();
        this.f.ending.fail(new RemoteCallException(Status.UNAVAILABLE, "lost"), () -> again.add("failed"));
        assertThat(again).isEmpty();
        assertThat(this.f.written()).isEmpty();
    }

    private static Throwable failure(CompletableFuture<Void> f) {
        assertThat(f).isCompletedExceptionally();
        return f.handle((v, ex) -> ex).join();
    }
}
