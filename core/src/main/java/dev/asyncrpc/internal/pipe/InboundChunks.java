package dev.asyncrpc.internal.pipe;

import java.util.ArrayDeque;

import dev.asyncrpc.RemoteCallException;
import dev.asyncrpc.internal.MemoryBudget;
import io.netty.buffer.ByteBuf;

/**
 * The PIPE_DATA payloads one receiving end holds, in arrival order. Its monitor is the receiver's
 * lock; it refers to nothing but its buffers, so it can outlive an unreachable pipe end and be
 * released by a {@link java.lang.ref.Cleaner} or by the runtime's {@link PipeRegistry} when the
 * runtime closes ({@link UnreadPipe}).
 *
 * <p>A consumer decodes from the head payload outside the lock ({@link #take()} then
 * {@link #done(Chunk, boolean)}); a {@link #release} meanwhile leaves that head for the consumer to
 * release.
 *
 * <p>The bytes held are charged to the server's {@link MemoryBudget} when there is one
 * ({@link #budget}): each payload when it is added, released exactly when it leaves (consumed, or
 * released unread).
 *
 * <p>ByteBuf ownership: every payload added is owned here until it is consumed (released by
 * {@link #done}) or released by {@link #release}; a payload added after the release is released at once.
 */
final class InboundChunks {

    /** One received PIPE_DATA payload, positioned at its next element. */
    static final class Chunk {
        final ByteBuf payload;
        final int size;
        int remaining;
        /** For values: a heap copy of the elements, decoded from (consumer only). */
        ByteBuf heap;

        Chunk(ByteBuf payload, int count, int size) {
            this.payload = payload;
            this.remaining = count;
            this.size = size;
        }
    }

    private final ArrayDeque<Chunk> queue = new ArrayDeque<>();
    private long bytes;
    private MemoryBudget budget;
    private boolean consuming;
    private RemoteCallException released;

    /** Charge the bytes held from now on to {@code budget} (before the first {@link #add}). */
    synchronized void budget(MemoryBudget budget) {
        this.budget = budget;
    }

    /** Take ownership of {@code payload} and queue it; released at once if this was released. */
    synchronized void add(ByteBuf payload, int count, int size) {
        if (this.released != null) {
            payload.release();
            return;
        }
        this.queue.add(new Chunk(payload, count, size));
        this.bytes += size;
        if (this.budget != null) {
            this.budget.charge(size);
        }
    }

    /** Whether nothing is held (locked by the caller or not). */
    synchronized boolean isEmpty() {
        return this.queue.isEmpty() || this.released != null;
    }

    synchronized long bytes() {
        return this.bytes;
    }

    synchronized int frames() {
        return (this.released != null) ? 0 : this.queue.size();
    }

    /** Why the buffers were released unread, or {@code null}. */
    synchronized RemoteCallException released() {
        return this.released;
    }

    /**
     * The head chunk for a consumer to decode from outside the lock, or {@code null}. Only one
     * consumer at a time (the receiver serialises them).
     */
    synchronized Chunk take() {
        if (this.released != null) {
            return null;
        }
        Chunk c = this.queue.peek();
        if (c != null) {
            this.consuming = true;
        }
        return c;
    }

    /**
     * The consumer is done with {@code c} for now: if it is used up (or {@code drop}), it leaves
     * the queue and its payload is released.
     * @return the bytes consumed (the chunk's size) if it left the queue as consumed, else 0
     */
    synchronized int done(Chunk c, boolean drop) {
        this.consuming = false;
        if (this.released != null) {
            // released while the consumer decoded: the head was left for us
            if (this.queue.peek() == c) {
                this.queue.poll();
                c.payload.release();
            }
            return 0;
        }
        if (c.remaining == 0 || drop) {
            this.queue.poll();
            c.payload.release();
            this.bytes -= c.size;
            if (this.budget != null) {
                this.budget.release(c.size);
            }
            return c.size;
        }
        return 0;
    }

    /**
     * Release every payload held (any thread; idempotent): the reader will not get them.
     * @param reason what a later pull reports
     * @return whether this call released them (the first)
     */
    synchronized boolean release(RemoteCallException reason) {
        if (this.released != null) {
            return false;
        }
        this.released = reason;
        Chunk head = this.consuming ? this.queue.poll() : null;
        Chunk c;
        while ((c = this.queue.poll()) != null) {
            c.payload.release();
        }
        if (head != null) {
            this.queue.add(head); // its bytes are given back with the others: the consumer only releases its buffer
        }
        if (this.budget != null) {
            this.budget.release(this.bytes);
        }
        this.bytes = 0;
        return true;
    }
}
