package dev.asyncrpc.internal.pipe;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The blocking iterator of a receiving end: pulls elements in batches and blocks the calling
 * thread while none are there. After the end it yields what arrived before the end, then stops
 * ({@code hasNext} false) or, if the pipe failed, throws the failure from {@code hasNext}.
 *
 * @param <T> the element type
 */
final class PipeIterator<T> implements Iterator<T> {

    /** What the iterator reads from: a receiving end. */
    interface Source<T> {

        /** Up to {@code max} elements there now, or none; throws the failure once failed and drained. */
        List<T> pull(int max);

        /** Whether the end (or a failure) came and nothing is left before it. */
        boolean isClosed();

        /** Block until there is something to pull or the end came. */
        void awaitData();
    }

    /** Elements pulled at once. */
    static final int BATCH = 256;

    private final Source<T> source;
    private final ArrayDeque<T> batch = new ArrayDeque<>();

    PipeIterator(Source<T> source) {
        this.source = source;
    }

    @Override
    public boolean hasNext() {
        while (this.batch.isEmpty()) {
            List<T> got = this.source.pull(BATCH);
            if (!got.isEmpty()) {
                this.batch.addAll(got);
                break;
            }
            if (this.source.isClosed()) {
                // it ended between the pull and this check: pull once more, which gives
                // what arrived before the end, or throws the failure if it failed
                got = this.source.pull(BATCH);
                if (got.isEmpty()) {
                    return false;
                }
                this.batch.addAll(got);
                break;
            }
            this.source.awaitData();
        }
        return true;
    }

    @Override
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException("the pipe has ended");
        }
        return this.batch.poll();
    }
}
