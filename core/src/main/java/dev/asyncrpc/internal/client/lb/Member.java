package dev.asyncrpc.internal.client.lb;

import java.util.concurrent.atomic.AtomicInteger;

import dev.asyncrpc.internal.transport.Endpoint;

/**
 * One endpoint of a balanced target: its connection (if any), how many calls it carries now, and
 * its reconnect state. The counters are read by any thread; the reconnect state is changed under
 * the member's lock by {@link Balancer}.
 *
 * @param <C> the connection type
 */
public final class Member<C> {

    private final Endpoint endpoint;

    /** Calls (attempts) sent here and not finished yet: the load that power-of-two-choices compares. */
    private final AtomicInteger pending = new AtomicInteger();

    volatile C connection;

    /** Whether the endpoint is no longer part of the target (resolution dropped it). */
    volatile boolean removed;

    /** When a new connection may be tried, as {@code System.nanoTime()}; 0 means at once. */
    volatile long retryAtNanos;

    /** Consecutive failed connections (under the lock). */
    int failures;

    /** Whether the current connection became ready at some point (under the lock). */
    boolean readySeen;

    Member(Endpoint endpoint) {
        this.endpoint = endpoint;
    }

    public Endpoint endpoint() {
        return this.endpoint;
    }

    /**
     * Calls in progress on this endpoint.
     * @return the count
     */
    public int pending() {
        return this.pending.get();
    }

    /** A call (attempt) goes here. Any thread. */
    public void callStarted() {
        this.pending.incrementAndGet();
    }

    /** A call (attempt) sent here has finished. Any thread. */
    public void callEnded() {
        this.pending.decrementAndGet();
    }

    /**
     * The current connection.
     * @return the connection, or {@code null} if there is none now
     */
    public C connection() {
        return this.connection;
    }

    public boolean isRemoved() {
        return this.removed;
    }

    @Override
    public String toString() {
        return this.endpoint + "[pending " + this.pending.get() + (this.removed ? ", removed" : "") + "]";
    }
}
