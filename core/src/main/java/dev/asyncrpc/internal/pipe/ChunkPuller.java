package dev.asyncrpc.internal.pipe;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

import dev.asyncrpc.RemoteCallException;
import dev.asyncrpc.Status;
import dev.asyncrpc.internal.codec.CodecException;
import dev.asyncrpc.internal.codec.ValueCodec;

/**
 * The pull side of a receiving end: takes up to {@code max} elements from the held payloads
 * ({@link InboundChunks}), one head payload at a time. The head is taken and given back under the
 * payloads' monitor, and decoded outside it ({@link ChunkDecoder}), so the event loop appending
 * payloads never waits for a decode. One consumer at a time: concurrent pulls are serialised.
 * What happens at the end, when bytes are consumed and when an element cannot be decoded is the
 * {@link Side}'s business.
 *
 * @param <T> the element type
 */
final class ChunkPuller<T> {

    /** The receiving end's side of a pull. */
    interface Side {

        /**
         * Nothing is left to take ({@code have} elements taken by this pull so far; monitor held).
         * @throws RemoteCallException the failure, if the pipe failed and {@code have} is 0
         */
        void drained(int have);

        /**
         * The consumer is done with a payload that left the queue as consumed ({@code bytes} &gt; 0),
         * or with one it has not used up ({@code bytes} 0) (monitor held).
         * @return whether a CREDIT write must be scheduled ({@link #grant()} outside the monitor)
         */
        boolean consumed(int bytes);

        /** Schedule the write of the credit collected (outside the monitor). */
        void grant();

        /** An element could not be decoded: drop the data and fail the end with {@code ex} (outside the monitor). */
        void undecodable(RemoteCallException ex);

        /** Names the end in messages. */
        String describe();
    }

    private final InboundChunks chunks;
    private final Side side;
    private final ReentrantLock consumer = new ReentrantLock();

    ChunkPuller(InboundChunks chunks, Side side) {
        this.chunks = chunks;
        this.side = side;
    }

    /**
     * Take up to {@code max} elements there now.
     * @param before run with the monitor held before each take (notices a release from outside)
     * @throws RemoteCallException as {@link Side#drained}, or if an element cannot be decoded
     */
    List<T> pull(int max, ValueCodec codec, boolean raw, Runnable before) {
        if (max <= 0) {
            throw new IllegalArgumentException("max: " + max + " (expected: > 0)");
        }
        this.consumer.lock();
        try {
            return pullLocked(max, codec, raw, before);
        }
        finally {
            this.consumer.unlock();
        }
    }

    private List<T> pullLocked(int max, ValueCodec codec, boolean raw, Runnable before) {
        List<T> out = null;
        while (true) {
            int have = (out != null) ? out.size() : 0;
            if (have >= max) {
                break;
            }
            InboundChunks.Chunk c;
            synchronized (this.chunks) {
                before.run();
                c = this.chunks.take();
                if (c == null) {
                    this.side.drained(have);
                    break;
                }
            }
            RemoteCallException error = null;
            int n = Math.min(max - have, c.remaining);
            if (out == null) {
                out = new ArrayList<>(Math.min(max, Math.max(n, 16)));
            }
            try {
                ChunkDecoder.decode(c, n, codec, raw, out);
            }
            catch (CodecException | IndexOutOfBoundsException ex) {
                error = new RemoteCallException(Status.INVALID_ARGUMENT, "cannot decode an element of " + this.side.describe() + ": "
                        + ex.getMessage(), Map.of(), ex);
            }
            boolean grant;
            synchronized (this.chunks) {
                int consumed = this.chunks.done(c, error != null);
                grant = this.side.consumed((error == null) ? consumed : 0);
            }
            if (grant) {
                this.side.grant();
            }
            if (error != null) {
                this.side.undecodable(error);
                throw error;
            }
        }
        return (out != null) ? out : List.of();
    }
}
