package dev.asyncrpc.internal.transport;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.channel.EventLoop;

/**
 * Carries work from any thread to a channel's event loop: items are queued (lock-free, many
 * producers) and drained on the loop by one task, which hands each to the {@link Sink} and flushes
 * once per batch. At most one drain task is scheduled at a time, so a burst of writes costs one
 * task and one flush.
 */
public final class WriteQueue implements Runnable {

    /** Receives queued items on the event loop. */
    public interface Sink {

        /** Handle one item on the event loop (typically {@code ctx.write}). Takes ownership of it. */
        void drain(Object item);

        /** Called once after a batch: flush. */
        void flush();

        /** An item that can no longer be delivered (the loop is gone): release or fail it. */
        void discard(Object item);
    }

    private static final int MAX_BATCH = 4096;

    private final EventLoop loop;
    private final Sink sink;
    private final Queue<Object> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger scheduled = new AtomicInteger();

    public WriteQueue(EventLoop loop, Sink sink) {
        this.loop = loop;
        this.sink = sink;
    }

    /** Queue an item; ownership passes to this queue. Any thread. */
    public void enqueue(Object item) {
        this.queue.add(item);
        schedule();
    }

    private void schedule() {
        if (this.scheduled.compareAndSet(0, 1)) {
            try {
                this.loop.execute(this);
            }
            catch (RuntimeException rejected) {
                // the loop is shutting down: nobody will drain, so discard here
                this.scheduled.set(0);
                discardAll();
            }
        }
    }

    @Override
    public void run() {
        int n = 0;
        Object item;
        try {
            while ((item = this.queue.poll()) != null) {
                this.sink.drain(item);
                if (++n == MAX_BATCH) {
                    this.sink.flush();
                    n = 0;
                }
            }
        }
        finally {
            this.sink.flush();
            this.scheduled.set(0);
        }
        if (!this.queue.isEmpty()) {
            schedule();
        }
    }

    /** Discard everything queued (after the channel closed). Any thread. */
    public void discardAll() {
        Object item;
        while ((item = this.queue.poll()) != null) {
            this.sink.discard(item);
        }
    }
}
