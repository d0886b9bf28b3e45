package dev.asyncrpc.internal.pipe;

import java.util.concurrent.Flow;

/**
 * The Reactive Streams bridge of a sending end fed by a publisher: holds the upstream
 * {@link Flow.Subscription} and turns room in the pipe into demand, so that the publisher never
 * produces much more than credit allows. A request is made only when everything requested before
 * has arrived and at least half the sender's bound is free, for about as many elements as fit
 * (by the average encoded size so far), at most {@link #MAX_REQUEST}.
 *
 * <p>Not thread-safe: the sender calls it under its lock and calls {@code request} and
 * {@code cancel} outside it.
 */
final class PipeUpstream {

    /** The most elements requested at once. */
    static final int MAX_REQUEST = 1024;

    /** Requested before anything was encoded (no average size yet). */
    static final int FIRST_REQUEST = 8;

    private Flow.Subscription subscription;
    private long outstanding;

    /** @return whether {@code s} is now the upstream (there was none) */
    boolean set(Flow.Subscription s) {
        if (this.subscription != null) {
            return false;
        }
        this.subscription = s;
        return true;
    }

    boolean isSet() {
        return this.subscription != null;
    }

    /** Forget the upstream (it ended, or the pipe did); the caller cancels what this returns if it must. */
    Flow.Subscription detach() {
        Flow.Subscription s = this.subscription;
        this.subscription = null;
        return s;
    }

    /** An element arrived. */
    void received() {
        if (this.outstanding > 0) {
            this.outstanding--;
        }
    }

    /** Whether the upstream waits to be asked for more. */
    boolean wantsDemand() {
        return this.subscription != null && this.outstanding == 0;
    }

    /**
     * How many elements to request now, recording them as outstanding.
     * @param room bytes the sender may still queue
     * @param bound the most bytes it queues
     * @param averageBytes the average encoded size of an element so far, 0 if unknown
     * @return the count to request, 0 for none
     */
    long demand(long room, long bound, long averageBytes) {
        if (!wantsDemand() || room < bound / 2) {
            return 0;
        }
        long n = (averageBytes > 0) ? Math.max(1, Math.min(MAX_REQUEST, room / averageBytes)) : FIRST_REQUEST;
        this.outstanding = n;
        return n;
    }

    Flow.Subscription subscription() {
        return this.subscription;
    }
}
