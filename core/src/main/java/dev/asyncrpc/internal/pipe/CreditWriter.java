package dev.asyncrpc.internal.pipe;

import dev.asyncrpc.internal.protocol.PipeFrames;
import io.netty.buffer.ByteBufAllocator;

/**
 * The credit grant side of one receiving end attached to a connection: writes the credit collected
 * by its consumer ({@link CreditGrants}) as one CREDIT frame, on the event loop, where the consumer
 * scheduled it ({@link PipeTable#schedule}). While the server's memory budget is exhausted, an end
 * that still holds unread data keeps its credit and checks again later
 * ({@link PipeTable#retryLater}): its reader has data to pull meanwhile, and the sender sends no
 * more until memory frees. An end with nothing buffered gets its credit at once, so that a reader
 * waiting for this pipe is never held up by the data of others. An end that is no longer open
 * grants nothing.
 */
final class CreditWriter implements PipeTable.Task {

    /** The receiver's monitor, which guards {@link #life} and {@link #credit}. */
    private final InboundChunks chunks;
    private final InboundLifecycle life;
    private final CreditGrants credit;
    private final PipeTable table;
    private final int callId;
    private final int index;

    CreditWriter(InboundChunks chunks, InboundLifecycle life, CreditGrants credit, PipeTable table, int callId, int index) {
        this.chunks = chunks;
        this.life = life;
        this.credit = credit;
        this.table = table;
        this.callId = callId;
        this.index = index;
    }

    CreditGrants credit() {
        return this.credit;
    }

    /**
     * The consumer consumed {@code bytes} (monitor held).
     * @return whether to {@link #schedule()} a write (outside the monitor)
     */
    boolean consumed(int bytes) {
        return this.credit.consumed(bytes);
    }

    /**
     * Have the event loop run this writer: at once if this is the loop (a consumer called from a
     * read batch, whose grant must not wait for the batch to end), else through its write queue.
     */
    void schedule() {
        this.table.runOrSchedule(this);
    }

    /** Write the collected grant (event loop). */
    @Override
    public void run() {
        long g;
        synchronized (this.chunks) {
            if (this.life.isOpen() && !this.chunks.isEmpty() && this.table.holdCredit()) {
                this.table.retryLater(this); // the write stays scheduled: no other is scheduled meanwhile
                return;
            }
            g = this.credit.take();
            if (!this.life.isOpen() || g <= 0) {
                return;
            }
        }
        this.table.write(PipeFrames.credit(ByteBufAllocator.DEFAULT, this.callId, this.index, (int) g));
    }
}
