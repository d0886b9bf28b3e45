package dev.asyncrpc.internal.pipe;

import java.util.concurrent.TimeUnit;

import dev.asyncrpc.internal.MemoryBudget;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The credit grant side on a connection: one CREDIT frame per scheduled write, held while memory is short. */
class CreditWriterTests {

    private final TableFixture fixture = new TableFixture();
    private final EmbeddedChannel channel = this.fixture.channel;
    private final PipeTable table = this.fixture.table;
    private final InboundChunks chunks = new InboundChunks();
    private final InboundLifecycle life = new InboundLifecycle();
    private final CreditGrants credit = new CreditGrants(new InboundFlowController(100));
    private final CreditWriter writer;

    CreditWriterTests() {
        this.writer = new CreditWriter(this.chunks, this.life, this.credit, this.table, 7, 2);
        this.credit.flow().receive(100);
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
        assertThat(this.fixture.credit()).as("less than half the window").isNull();
        consumeAndRun(30);
        assertThat(this.fixture.credit()).containsExactly(7, 2, 60);
        assertThat(this.fixture.credit()).isNull();
        this.channel.finishAndReleaseAll();
    }

    @Test
    void onTheEventLoopTheGrantIsWrittenAndFlushedAtOnce() {
        boolean schedule;
        synchronized (this.chunks) {
            schedule = this.writer.consumed(60);
        }
        assertThat(schedule).isTrue();
        this.writer.schedule(); // the embedded channel's thread is its event loop; no queued task is run
        assertThat(this.fixture.credit()).as("flushed without waiting for the write queue").containsExactly(7, 2, 60);
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
        assertThat(this.fixture.credit()).isNull();
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
        assertThat(this.fixture.credit()).as("held").isNull();
        budget.release(10);
        this.channel.advanceTimeBy(PipeTable.CREDIT_RETRY_MILLIS, TimeUnit.MILLISECONDS);
        this.channel.runScheduledPendingTasks();
        this.channel.runPendingTasks();
        assertThat(this.fixture.credit()).containsExactly(7, 2, 60);
        this.chunks.release(new dev.asyncrpc.RemoteCallException(dev.asyncrpc.Status.CANCELLED, "done"));
        this.channel.finishAndReleaseAll();
    }
}
