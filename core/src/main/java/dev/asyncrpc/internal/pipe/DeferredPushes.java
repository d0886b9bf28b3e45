package dev.asyncrpc.internal.pipe;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.asyncrpc.RemoteCallException;

/**
 * What a sender holds as references, not yet encoded: pushes made before the end is attached to a
 * call or while its queue reaches its bound beyond the credit limit, and the send-complete markers and the end that follow
 * them (so they keep their order). Consecutive pushes merge, up to {@link #MERGE_LIMIT} elements, so
 * a burst of small pushes is encoded in one piece later.
 *
 * <p>A plain object, not thread-safe: the sender calls it under its lock. Holds no buffers.
 */
final class DeferredPushes {

    /** The most elements merged into one deferred push. */
    static final int MERGE_LIMIT = 4096;

    /** One deferred entry: elements to encode, a send-complete marker, or the end. */
    static final class Deferred {
        final List<Object> elements;
        final List<CompletableFuture<Void>> stages = new ArrayList<>(1);
        final boolean end;
        final boolean marker;
        /** For the end: abort with this instead of closing, or {@code null}. */
        final RemoteCallException abort;

        private Deferred(List<?> elements, CompletableFuture<Void> stage, boolean end, boolean marker, RemoteCallException abort) {
            this.elements = new ArrayList<>(elements);
            this.end = end;
            this.marker = marker;
            this.abort = abort;
            if (stage != null) {
                this.stages.add(stage);
            }
        }
    }

    private final ArrayDeque<Deferred> queue = new ArrayDeque<>();

    boolean isEmpty() {
        return this.queue.isEmpty();
    }

    int size() {
        return this.queue.size();
    }

    /**
     * Hold a push: merged into the last entry if that is a push with room.
     * @param stage completed when the elements are accepted, or {@code null}
     */
    void push(List<?> elements, CompletableFuture<Void> stage) {
        Deferred last = this.queue.peekLast();
        if (last != null && !last.end && !last.marker && last.elements.size() + elements.size() <= MERGE_LIMIT) {
            last.elements.addAll(elements);
            if (stage != null) {
                last.stages.add(stage);
            }
        }
        else {
            this.queue.add(new Deferred(elements, stage, false, false, null));
        }
    }

    /** Hold a send-complete marker: {@code stage} completes once everything before it is written. */
    void marker(CompletableFuture<Void> stage) {
        this.queue.add(new Deferred(List.of(), stage, false, true, null));
    }

    /**
     * Hold the end: closed, or aborted with {@code abort}.
     * @param stage completed when the end is written, or {@code null}
     */
    void end(RemoteCallException abort, CompletableFuture<Void> stage) {
        this.queue.add(new Deferred(List.of(), stage, true, false, abort));
    }

    /** The oldest entry, removed, or {@code null}. */
    Deferred poll() {
        return this.queue.poll();
    }

    /**
     * Drop every entry (an abort or a failure).
     * @param into receives the stages of the dropped entries
     */
    void dropAll(List<CompletableFuture<Void>> into) {
        Deferred d;
        while ((d = this.queue.poll()) != null) {
            into.addAll(d.stages);
        }
    }
}
