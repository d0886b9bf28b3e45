package dev.asyncrpc.internal.pipe;

import dev.asyncrpc.internal.protocol.Settings;
import dev.asyncrpc.internal.transport.WriteQueue;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;

/**
 * A {@link PipeTable} on an {@link EmbeddedChannel}, for tests of the parts that write pipe frames:
 * its write queue runs tasks on the channel's loop (tests run them with
 * {@code channel.runPendingTasks()}) and flushes to the channel, where {@link #credit()} reads them.
 * Callbacks and completions run on the calling thread.
 */
final class TableFixture {

    final EmbeddedChannel channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
    final ChannelHandlerContext ctx = this.channel.pipeline().firstContext();
    final PipeTable table = new PipeTable(Runnable::run, new PipeRegistry(), Settings.DEFAULTS,
            new WriteQueue(this.channel.eventLoop(), new WriteQueue.Sink() {
                @Override
                public void drain(Object item) {
                    ((PipeTable.Task) item).run();
                }

                @Override
                public void flush() {
                    TableFixture.this.ctx.flush();
                }

                @Override
                public void discard(Object item) {
                }
            }));

    TableFixture() {
        this.table.context(this.ctx);
    }

    /** The next CREDIT frame flushed to the channel, as call id, pipe index and bytes; or {@code null}. */
    long[] credit() {
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
}
