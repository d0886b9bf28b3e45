package dev.asyncrpc.internal.pipe;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

import dev.asyncrpc.internal.codec.Codecs;
import dev.asyncrpc.internal.protocol.Frames;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;

/**
 * The parts of one sending end (state, writer, intake, ending) on an {@link EmbeddedChannel}: frames
 * are written without flushing, so the channel's outbound buffer fills like a socket's; scheduled
 * writer runs and executor tasks wait until a test runs them.
 */
final class SenderFixture implements AutoCloseable {

    /** Runs tasks only when told to. */
    static final class ManualExecutor implements Executor {
        final ArrayDeque<Runnable> tasks = new ArrayDeque<>();

        @Override
        public void execute(Runnable task) {
            this.tasks.add(task);
        }

        void runAll() {
            Runnable r;
            while ((r = this.tasks.poll()) != null) {
                r.run();
            }
        }
    }

    final EmbeddedChannel channel = new EmbeddedChannel(new ChannelOutboundHandlerAdapter());
    final ManualExecutor executor = new ManualExecutor();
    final SenderState state = new SenderState(() -> "the test pipe");
    final FrameWriter writer = new FrameWriter(this.state);
    final PushIntake intake = new PushIntake(this.state, this.writer);
    final SenderEnding ending = new SenderEnding(this.state, this.writer);
    int scheduled;
    int awaited;

    final SenderState.Link link = new SenderState.Link() {
        @Override
        public boolean isWritable() {
            return SenderFixture.this.channel.isWritable();
        }

        @Override
        public void write(ByteBuf frame) {
            SenderFixture.this.channel.write(frame);
        }

        @Override
        public void awaitWritable() {
            SenderFixture.this.awaited++;
        }

        @Override
        public void schedule() {
            SenderFixture.this.scheduled++;
        }
    };

    SenderFixture() {
        this.state.executor = this.executor;
    }

    /** Set the channel's water marks (bytes of outbound buffer). */
    SenderFixture waterMarks(int low, int high) {
        this.channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(low, high));
        return this;
    }

    /** Attach as call 7, pipe 2, with {@code window} bytes of credit, sending byte[] elements. */
    SenderFixture attach(int window) {
        ChunkEncoder enc = new ChunkEncoder(new Codecs().forType(byte[].class), true, 2, window, 16 * 1024 * 1024, () -> "the test pipe");
        this.intake.encoder(enc);
        synchronized (this.state) {
            this.state.attachLocked(this.link, 7, 2, window, enc.frameCap());
        }
        return this;
    }

    /** Flush the channel and take what was written: frames, in order, owned by the caller. */
    List<ByteBuf> written() {
        this.channel.flushOutbound();
        List<ByteBuf> out = new ArrayList<>();
        Object m;
        while ((m = this.channel.readOutbound()) != null) {
            out.add((ByteBuf) m);
        }
        return out;
    }

    /** The frame type code of {@code frame}. */
    static int type(ByteBuf frame) {
        return frame.getUnsignedByte(frame.readerIndex() + Frames.LENGTH_FIELD);
    }

    /** The call id of {@code frame}. */
    static int callId(ByteBuf frame) {
        return frame.getInt(frame.readerIndex() + Frames.CALL_ID_OFFSET);
    }

    static void release(List<ByteBuf> frames) {
        frames.forEach(ByteBuf::release);
    }

    @Override
    public void close() {
        this.ending.fail(new dev.asyncrpc.RemoteCallException(dev.asyncrpc.Status.CANCELLED, "test over"), () -> { });
        this.executor.runAll();
        release(written());
        this.channel.finishAndReleaseAll();
    }
}
