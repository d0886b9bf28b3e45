package dev.asyncrpc.internal.pipe;

import java.util.concurrent.TimeUnit;

import dev.asyncrpc.internal.MemoryBudget;
import dev.asyncrpc.internal.protocol.Settings;
import dev.asyncrpc.internal.transport.WriteQueue;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The credit grant side on a connection: one CREDIT frame per scheduled write, held while memory is short. */
class CreditWriterTests {

    private final EmbeddedChannel channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
    private final ChannelHandlerContext ctx = this.channel.pipeline().firstContext();
    private final PipeTable table = new PipeTable(Runnable::run, new PipeRegistry(), Settings.DEFAULTS,
            new WriteQueue(this.channel.eventLoop(), new WriteQueue.Sink() {
                @Override
                public void drain(Object item) {
                    ((PipeTable.Task) item).run();
                }

                @Override
                public void flush() {
                    CreditWriterTests.this.ctx.flush();
                }

                @Override
                public void discard(Object item) {
                }
            }));
    private final InboundChunks chunks = new InboundChunks();
    private final InboundLifecycle life = new InboundLifecycle();
    private final CreditGrants credit = new CreditGrants(new InboundFlowController(100));
    private final CreditWriter writer;

    CreditWriterTests() {
        this.table.context(this.ctx);
        this.writer = new CreditWriter(this.chunks, this.life, this.credit, this.table, 7, 2);
        this.credit.flow().receive(100);
    }

    /** The CREDIT frame written, as call id, pipe index and bytes; or {@code null}. */
    private long[] written() {
        ByteBuf f = this.channel.readOutbound();
        if (f == null) {
            return null;
        }
        try {
            return new long[] { f.getInt(6), f.getUnsignedByte(10), f.getUnsignedInt(11) };
        }
        finally {
            f.release();
        }
    }

    private void consumeAndRun(int bytes) {
        boolean schedule;
        synchronized (this.chunks) {
            schedule = this.writer.consumed(bytes);
        }
        if (schedule) {
            this.writer.schedule();
        }
        this.channel.runPendingTasks();
    }

    @Test
    void writesTheCollectedGrantInOneFrame() {
        consumeAndRun(30);
        assertThat(written()).as("less than half the window").isNull();
        consumeAndRun(30);
        assertThat(written()).containsExactly(7, 2, 60);
        assertThat(written()).isNull();
        this.channel.finishAndReleaseAll();
    }

    @Test
    void anEndThatIsNoLongerOpenGrantsNothing() {
        synchronized (this.chunks) {
            assertThat(this.writer.consumed(60)).isTrue();
            this.life.endArrived(null);
        }
        this.writer.schedule();
        this.channel.runPendingTasks();
        assertThat(written()).isNull();
        this.channel.finishAndReleaseAll();
    }

    @Test
    void whileMemoryIsShortAnEndWithUnreadDataHoldsItsCreditThenGrantsItLater() {
        MemoryBudget budget = new MemoryBudget(10);
        this.table.memory(budget);
        budget.charge(10);
        this.chunks.add(Unpooled.buffer(4).writeInt(0), 1, 4);
        consumeAndRun(60);
        assertThat(budget.isExhausted()).isTrue();
        assertThat(written()).as("held").isNull();
        budget.release(10);
        this.channel.advanceTimeBy(PipeTable.CREDIT_RETRY_MILLIS, TimeUnit.MILLISECONDS);
        this.channel.runScheduledPendingTasks();
        this.channel.runPendingTasks();
        assertThat(written()).containsExactly(7, 2, 60);
        this.chunks.release(new dev.asyncrpc.RemoteCallException(dev.asyncrpc.Status.CANCELLED, "done"));
        this.channel.finishAndReleaseAll();
    }
}
