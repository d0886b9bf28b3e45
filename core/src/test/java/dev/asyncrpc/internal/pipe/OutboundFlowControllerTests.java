package dev.asyncrpc.internal.pipe;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.asyncrpc.RemoteCallException;
import dev.asyncrpc.Status;
import dev.asyncrpc.internal.protocol.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The sending side's flow control: credit accounting, acceptance of pushes within the window,
 * writability (an {@link EmbeddedChannel} with small water marks), window updates, the order of
 * markers and the end, and what an abort keeps.
 */
class OutboundFlowControllerTests {

    private final EmbeddedChannel channel = new EmbeddedChannel(new ChannelOutboundHandlerAdapter());
    private final List<ByteBuf> written = new ArrayList<>();
    private int awaited;

    /** Writes to the embedded channel without flushing, so its outbound buffer fills like a socket's. */
    private final OutboundFlowController.Sink sink = new OutboundFlowController.Sink() {
        @Override
        public boolean isWritable() {
            return OutboundFlowControllerTests.this.channel.isWritable();
        }

        @Override
        public void write(ByteBuf frame) {
            OutboundFlowControllerTests.this.channel.write(frame);
        }

        @Override
        public void awaitWritable() {
            OutboundFlowControllerTests.this.awaited++;
        }
    };

    @AfterEach
    void close() {
        this.channel.flushOutbound();
        Object m;
        while ((m = this.channel.readOutbound()) != null) {
            this.written.add((ByteBuf) m);
        }
        this.written.forEach(ByteBuf::release);
        this.channel.finishAndReleaseAll();
    }

    private static OutboundFlowController.Entry frame(int size) {
        return OutboundFlowController.Entry.data(Unpooled.buffer(size).writeZero(size), size, 1);
    }

    private static List<CompletableFuture<Void>> stage() {
        return new ArrayList<>(List.of(new CompletableFuture<>()));
    }

    private List<ByteBuf> drainChannel() {
        this.channel.flushOutbound();
        List<ByteBuf> out = new ArrayList<>();
        Object m;
        while ((m = this.channel.readOutbound()) != null) {
            out.add((ByteBuf) m);
        }
        this.written.addAll(out);
        return out;
    }

    @Test
    void pushesWithinTheWindowAreAcceptedAtOnceAndLaterOnesWhenCreditArrives() {
        OutboundFlowController flow = new OutboundFlowController(1000);
        assertThat(flow.isReady()).isTrue();
        assertThat(flow.enqueue(List.of(frame(400)), stage())).as("accepted at once").isNotNull();
        assertThat(flow.enqueue(List.of(frame(600)), stage())).as("exactly fills the window").isNotNull();
        assertThat(flow.isReady()).isFalse();
        List<CompletableFuture<Void>> third = stage();
        assertThat(flow.enqueue(List.of(frame(300)), third)).as("beyond the window: waits").isNull();
        assertThat(flow.encodedOffset()).isEqualTo(1300);

        OutboundFlowController.Flushed f = flow.flush(this.sink);
        assertThat(f.frames()).isEqualTo(2);
        assertThat(flow.sentOffset()).isEqualTo(1000);
        assertThat(flow.unacknowledged()).isEqualTo(1000);
        assertThat(flow.queuedBytes()).isEqualTo(300);
        assertThat(flow.stalledNanos()).as("stalled on credit").isPositive();

        assertThat(flow.onCredit(200)).as("not enough for the third push").isEmpty();
        assertThat(flow.onCredit(100)).containsExactlyElementsOf(third);
        assertThat(flow.flush(this.sink).frames()).isEqualTo(1);
        assertThat(flow.unacknowledged()).isEqualTo(1000);
        assertThat(drainChannel()).hasSize(3);
    }

    @Test
    void whatIsAheadOfCreditChangesWithPushesAndCreditNotWithWrites() {
        OutboundFlowController flow = new OutboundFlowController(1000);
        flow.enqueue(List.of(frame(800)), stage());
        assertThat(flow.aheadOfCredit()).as("within credit").isZero();
        flow.enqueue(List.of(frame(500)), stage());
        assertThat(flow.aheadOfCredit()).isEqualTo(300);
        flow.flush(this.sink);
        assertThat(flow.queuedBytes()).isEqualTo(500);
        assertThat(flow.aheadOfCredit()).as("a write changes nothing beyond credit").isEqualTo(300);
        flow.onCredit(200);
        assertThat(flow.aheadOfCredit()).isEqualTo(100);
        flow.onCredit(600);
        assertThat(flow.aheadOfCredit()).isZero();
        assertThat(flow.queuedBytes()).as("not written yet").isEqualTo(500);
    }

    @Test
    void aPushOfSeveralFramesIsAcceptedWhenItsLastFrameFits() {
        OutboundFlowController flow = new OutboundFlowController(1000);
        List<CompletableFuture<Void>> s = stage();
        assertThat(flow.enqueue(List.of(frame(500), frame(400), frame(300)), s)).isNull();
        flow.flush(this.sink);
        assertThat(flow.sentOffset()).as("the frames within credit go out").isEqualTo(900);
        assertThat(flow.onCredit(200)).containsExactlyElementsOf(s);
    }

    @Test
    void creditBeyondTheWindowIsAProtocolError() {
        OutboundFlowController flow = new OutboundFlowController(1000);
        flow.enqueue(List.of(frame(500)), stage());
        flow.flush(this.sink);
        assertThatThrownBy(() -> flow.onCredit(501)).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("CREDIT of 501 bytes overflows the pipe window of 1000");
        assertThatThrownBy(() -> flow.onCredit(0)).isInstanceOf(ProtocolException.class);
        assertThat(flow.onCredit(500)).isEmpty();
        assertThat(flow.creditLimit()).isEqualTo(1500);
    }

    @Test
    void anUnwritableChannelStopsTheWriterUntilItDrains() {
        this.channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(1000, 2000));
        OutboundFlowController flow = new OutboundFlowController(10_000);
        flow.enqueue(List.of(frame(1500), frame(1500), frame(1500)), stage());
        OutboundFlowController.Flushed f = flow.flush(this.sink);
        assertThat(f.frames()).as("written until the channel is above its high water mark").isEqualTo(2);
        assertThat(this.awaited).isEqualTo(1);
        assertThat(flow.queuedBytes()).isEqualTo(1500);
        drainChannel();
        assertThat(this.channel.isWritable()).isTrue();
        assertThat(flow.flush(this.sink).frames()).isEqualTo(1);
        assertThat(flow.isEmpty()).isTrue();
    }

    @Test
    void markersAndTheEndFollowTheDataBeforeThem() {
        OutboundFlowController flow = new OutboundFlowController(1000);
        flow.enqueue(List.of(frame(800)), stage());
        CompletableFuture<Void> sent = new CompletableFuture<>();
        flow.enqueueMarker(sent);
        flow.enqueue(List.of(frame(800)), stage());
        List<CompletableFuture<Void>> closed = stage();
        flow.enqueueEnd(null, closed);
        OutboundFlowController.Flushed first = flow.flush(this.sink);
        assertThat(first.sent()).containsExactly(sent);
        assertThat(first.end()).as("the end waits for the data before it").isNull();
        flow.onCredit(800);
        OutboundFlowController.Flushed second = flow.flush(this.sink);
        assertThat(second.frames()).isEqualTo(1);
        assertThat(second.end()).isNotNull();
        assertThat(second.sent()).containsExactlyElementsOf(closed);
    }

    @Test
    void anAbortKeepsTheAcceptedPushesAndDropsTheRest() {
        OutboundFlowController flow = new OutboundFlowController(1000);
        flow.enqueue(List.of(frame(300)), stage());
        flow.enqueue(List.of(frame(300)), stage());
        List<CompletableFuture<Void>> straddling = stage();
        flow.enqueue(List.of(frame(300), frame(300)), straddling); // its first frame fits, its last does not
        List<CompletableFuture<Void>> beyond = stage();
        flow.enqueue(List.of(frame(300)), beyond);
        List<CompletableFuture<Void>> dropped = flow.dropUnaccepted();
        assertThat(dropped).containsExactlyInAnyOrder(straddling.get(0), beyond.get(0));
        assertThat(flow.queuedBytes()).isEqualTo(600);
        flow.enqueueEnd(new RemoteCallException(Status.APPLICATION_ERROR, "stop"), null);
        OutboundFlowController.Flushed f = flow.flush(this.sink);
        assertThat(f.frames()).as("the accepted data goes out without more credit").isEqualTo(2);
        assertThat(f.end().abort.description()).isEqualTo("stop");
    }

    @Test
    void dropAllReleasesEveryQueuedFrame() {
        OutboundFlowController flow = new OutboundFlowController(1000);
        OutboundFlowController.Entry a = frame(600);
        OutboundFlowController.Entry b = frame(600);
        flow.enqueue(List.of(a), stage());
        flow.enqueue(List.of(b), stage());
        assertThat(flow.dropAll()).hasSize(1);
        assertThat(a.frame.refCnt()).isZero();
        assertThat(b.frame.refCnt()).isZero();
        assertThat(flow.queuedBytes()).isZero();
    }

    @Test
    void waitingForCreditOnlyWhileTheHeadFrameLiesBeyondTheCreditLimit() {
        OutboundFlowController flow = new OutboundFlowController(1000);
        assertThat(flow.waitingForCredit()).as("empty").isFalse();
        CompletableFuture<Void> marker = new CompletableFuture<>();
        flow.enqueueMarker(marker);
        flow.enqueue(List.of(frame(600)), stage());
        assertThat(flow.waitingForCredit()).as("the first data frame is within credit").isFalse();
        flow.flush(this.sink);
        flow.enqueue(List.of(frame(600)), stage());
        assertThat(flow.waitingForCredit()).as("600 + 600 > 1000, behind a marker or not").isTrue();
        flow.enqueueMarker(new CompletableFuture<>());
        flow.enqueueEnd(null, stage());
        assertThat(flow.waitingForCredit()).as("the marker and the end wait behind it").isTrue();
        flow.onCredit(100);
        assertThat(flow.waitingForCredit()).as("1100 < 1200").isTrue();
        flow.onCredit(100);
        assertThat(flow.waitingForCredit()).isFalse();
        OutboundFlowController.Flushed f = flow.flush(this.sink);
        assertThat(f.end()).isNotNull();
        assertThat(flow.waitingForCredit()).isFalse();

        OutboundFlowController ended = new OutboundFlowController(1000);
        ended.enqueueEnd(null, stage());
        assertThat(ended.waitingForCredit()).as("only the end: it goes out without credit").isFalse();
    }

    @Test
    void pushesAppendedToAPendingTailAreAcceptedWithIt() {
        OutboundFlowController flow = new OutboundFlowController(1000);
        flow.enqueue(List.of(frame(600)), stage());
        OutboundFlowController.Entry accepted = flow.tail();
        assertThat(flow.isPending(accepted)).isFalse();
        assertThat(flow.fits(accepted, 400)).isTrue();
        assertThat(flow.fits(accepted, 401)).as("an accepted frame must not grow beyond credit").isFalse();
        List<CompletableFuture<Void>> first = stage();
        assertThat(flow.enqueue(List.of(frame(600)), first)).isNull();
        OutboundFlowController.Entry pending = flow.tail();
        assertThat(flow.isPending(pending)).isTrue();
        CompletableFuture<Void> second = new CompletableFuture<>();
        flow.appended(pending, 100, 1, second);
        flow.appended(pending, 50, 1, null); // a subscriber's element: no stage
        assertThat(flow.encodedOffset()).isEqualTo(1350);
        assertThat(flow.queuedBytes()).isEqualTo(1350);
        assertThat(flow.flush(this.sink).frames()).isEqualTo(1);
        assertThat(flow.onCredit(349)).as("the grown tail ends at 1350").isEmpty();
        assertThat(flow.onCredit(1)).containsExactly(first.get(0), second);
        assertThat(flow.flush(this.sink).frames()).isEqualTo(1);
        assertThat(flow.sentOffset()).isEqualTo(1350);
    }

    @Test
    void aPendingTailWithoutStagesTakesAppendedStages() {
        OutboundFlowController flow = new OutboundFlowController(1000);
        flow.enqueue(List.of(frame(1000)), stage());
        flow.enqueue(List.of(frame(10)), List.of()); // a subscriber's push: an immutable empty list
        CompletableFuture<Void> s = new CompletableFuture<>();
        flow.appended(flow.tail(), 10, 1, s);
        flow.flush(this.sink);
        assertThat(flow.onCredit(20)).containsExactly(s);
    }
}
