package dev.asyncrpc.internal.pipe;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import dev.asyncrpc.internal.protocol.FrameType;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The write side on an {@link io.netty.channel.embedded.EmbeddedChannel}: credit, writability, the end, wake-ups. */
class FrameWriterTests {

    /** Payload bytes of one frame holding one 1000-byte element: pipe index, count, length, bytes. */
    private static final int FRAME = 3 + 4 + 1000;

    private final SenderFixture f = new SenderFixture();

    @AfterEach
    void close() {
        this.f.close();
    }

    @Test
    void writesQueuedFramesWithTheCallIdAndAsksForOneRunPerBatch() {
        this.f.attach(64 * 1024);
        this.f.intake.push(List.of(new byte[1000]), true);
        this.f.intake.push(List.of(new byte[1000]), true);
        assertThat(this.f.scheduled).isEqualTo(1);
        assertThat(this.f.writer.run()).isEqualTo(FrameWriter.Outcome.NONE);
        List<ByteBuf> out = this.f.written();
        assertThat(out).hasSize(2);
        assertThat(out).allSatisfy(b -> {
            assertThat(SenderFixture.type(b)).isEqualTo(FrameType.PIPE_DATA.code());
            assertThat(SenderFixture.callId(b)).isEqualTo(7);
        });
        SenderFixture.release(out);
        this.f.intake.push(List.of(new byte[1000]), true);
        assertThat(this.f.scheduled).isEqualTo(2);
    }

    @Test
    void aFrameBeyondCreditWaitsAndCreditAcceptsItOffTheLoop() {
        this.f.attach(4096);
        for (int i = 0; i < 4; i++) {
            assertThat(this.f.intake.push(List.of(new byte[1000]), true).toCompletableFuture()).isCompleted();
            this.f.writer.run();
        }
        CompletableFuture<Void> fifth = this.f.intake.push(List.of(new byte[1000]), true).toCompletableFuture();
        assertThat(fifth).isNotDone();
        int scheduled = this.f.scheduled;
        this.f.writer.run();
        SenderFixture.release(this.f.written());
        assertThat(this.f.state.flow.sentOffset()).isEqualTo(4 * FRAME);
        this.f.intake.push(List.of(new byte[1000]), true); // waits behind the stalled frame: no wake-up
        assertThat(this.f.scheduled).isEqualTo(scheduled);
        this.f.writer.onCredit(FRAME);
        assertThat(fifth).isNotDone(); // completed on the executor, not here
        this.f.executor.runAll();
        assertThat(fifth).isCompleted();
        this.f.writer.run();
        List<ByteBuf> out = this.f.written();
        assertThat(out).hasSize(1);
        SenderFixture.release(out);
    }

    @Test
    void anUnwritableChannelStopsTheWriterUntilItDrains() {
        this.f.waterMarks(1024, 2048).attach(64 * 1024);
        for (int i = 0; i < 3; i++) {
            this.f.intake.push(List.of(new byte[1000]), true);
            this.f.writer.run(); // the second write passes the high water mark
        }
        assertThat(this.f.awaited).isEqualTo(1);
        assertThat(this.f.channel.isWritable()).isFalse();
        this.f.intake.push(List.of(new byte[1000]), true); // the writer waits for the channel: no wake-up
        assertThat(this.f.scheduled).isEqualTo(3);
        assertThat(this.f.state.flow.queuedBytes()).isEqualTo(2 * FRAME);
        List<ByteBuf> first = this.f.written(); // the channel drains and is writable again
        this.f.writer.run();
        List<ByteBuf> rest = this.f.written();
        assertThat(this.f.state.flow.queuedBytes()).isZero();
        assertThat(this.f.state.flow.sentElements()).isEqualTo(4);
        SenderFixture.release(first);
        SenderFixture.release(rest);
    }

    @Test
    void theEndFollowsTheDataAndEndsTheState() {
        this.f.attach(64 * 1024);
        this.f.intake.push(List.of(new byte[1000]), true);
        CompletionStage<Void> closed = this.f.ending.end(null);
        assertThat(this.f.writer.run()).isEqualTo(FrameWriter.Outcome.ENDED);
        assertThat(this.f.state.state).isEqualTo(OutboundState.ENDED);
        this.f.executor.runAll();
        assertThat(closed.toCompletableFuture()).isCompleted();
        List<ByteBuf> out = this.f.written();
        assertThat(out).extracting(SenderFixture::type).containsExactly(FrameType.PIPE_DATA.code(), FrameType.PIPE_END.code());
        SenderFixture.release(out);
    }

    @Test
    void pushesAreHeldOnlyAWindowBeyondCreditAndCreditAsksForTheRefill() {
        this.f.attach(4096);
        int pushes = 0;
        while (this.f.state.deferred.isEmpty()) {
            this.f.intake.push(List.of(new byte[1000]), true);
            this.f.writer.run(); // frames within credit leave the queue: they do not count against the bound
            pushes++;
        }
        assertThat(this.f.state.flow.sentOffset()).isEqualTo(4 * FRAME);
        assertThat(pushes).as("4 within credit, 5 encoded beyond it (the bound: one window), the tenth held").isEqualTo(10);
        // beyond credit, every other push joins the frame before it (its element without a frame header)
        assertThat(this.f.state.flow.aheadOfCredit()).isEqualTo(7 * FRAME + 2 * (FRAME - 3) - 4096);
        assertThat(this.f.writer.run()).as("writes drain nothing beyond credit").isEqualTo(FrameWriter.Outcome.NONE);
        this.f.writer.onCredit(3 * FRAME);
        assertThat(this.f.writer.run()).as("less than half the bound beyond credit").isEqualTo(FrameWriter.Outcome.REFILL);
        assertThat(this.f.state.refillScheduled).isTrue();
        this.f.writer.onCredit(FRAME);
        assertThat(this.f.writer.run()).isEqualTo(FrameWriter.Outcome.NONE); // one refill at a time
        SenderFixture.release(this.f.written());
    }

    @Test
    void aFailedEndWritesNothing() {
        this.f.attach(64 * 1024);
        this.f.intake.push(List.of(new byte[1000]), true);
        this.f.ending.fail(new dev.asyncrpc.RemoteCallException(dev.asyncrpc.Status.UNAVAILABLE, "lost"), () -> { });
        assertThat(this.f.writer.run()).isEqualTo(FrameWriter.Outcome.NONE);
        assertThat(this.f.written()).isEmpty();
        assertThat(this.f.writer.onCredit(100)).isNull();
    }
}
