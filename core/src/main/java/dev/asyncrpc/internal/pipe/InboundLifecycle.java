package dev.asyncrpc.internal.pipe;

import dev.asyncrpc.RemoteCallException;

/**
 * The life of one receiving end: its {@link InboundState} and the transitions between them, the
 * failure a reader gets, and whether the sender's end arrived, the reader saw the end, or the
 * application abandoned the pipe. Data that arrived before an end or a failure is delivered before
 * it: {@link InboundState#CLOSED} and {@link InboundState#FAILED} leave the buffered elements to
 * pull; only {@link InboundState#DISCARDED} drops them.
 *
 * <p>A plain object, not thread-safe: the receiver calls it under its monitor.
 */
final class InboundLifecycle {

    private InboundState state = InboundState.OPEN;
    private RemoteCallException failure;
    private boolean endReceived;
    private boolean endObserved;
    private boolean abandoned;

    InboundState state() {
        return this.state;
    }

    boolean isOpen() {
        return this.state == InboundState.OPEN;
    }

    /** Whether the sender's PIPE_END arrived. */
    boolean endReceived() {
        return this.endReceived;
    }

    /**
     * The sender's PIPE_END arrived (check {@link #endReceived()} first: a second one is a
     * protocol error): closed, or aborted with {@code aborted}.
     * @return whether the state changed (the reader must be woken)
     */
    boolean endArrived(RemoteCallException aborted) {
        this.endReceived = true;
        if (this.state != InboundState.OPEN) {
            return false;
        }
        if (aborted != null) {
            this.state = InboundState.FAILED;
            this.failure = aborted;
        }
        else {
            this.state = InboundState.CLOSED;
        }
        return true;
    }

    /**
     * Fail after the buffered elements (the call ended, was cancelled, the connection was lost).
     * @return whether the state changed: only an open end fails
     */
    boolean fail(RemoteCallException ex) {
        if (this.state != InboundState.OPEN) {
            return false;
        }
        this.state = InboundState.FAILED;
        this.failure = ex;
        return true;
    }

    /** The buffered elements were released unread ({@code why} non-null): a pull reports {@code why}. */
    void discarded(RemoteCallException why) {
        if (why != null && this.state != InboundState.DISCARDED) {
            this.state = InboundState.DISCARDED;
            this.failure = why;
        }
    }

    /** An element could not be decoded: the data is dropped and a pull reports {@code ex} (always). */
    void undecodable(RemoteCallException ex) {
        this.state = InboundState.DISCARDED;
        this.failure = ex;
    }

    /**
     * The application stopped consuming (a subscriber cancelled): the data is dropped.
     * @return whether this was the first time
     */
    boolean abandon(RemoteCallException why) {
        if (this.abandoned) {
            return false;
        }
        this.abandoned = true;
        discarded(why);
        return true;
    }

    /**
     * The reader reached the end (pulled everything, then found the end or the failure).
     * @return whether this was the first time
     */
    boolean observeEnd() {
        if (this.endObserved) {
            return false;
        }
        this.endObserved = true;
        return true;
    }

    /** Whether a reader with {@code empty} buffers waits: nothing to pull and no end yet. */
    boolean waits(boolean empty) {
        return empty && this.state == InboundState.OPEN;
    }

    /** Whether a reader with {@code empty} buffers is done: discarded, or ended with nothing left. */
    boolean isClosed(boolean empty) {
        return this.state == InboundState.DISCARDED || (this.state != InboundState.OPEN && empty);
    }

    /** What the reader gets after the last element: {@code null} for a normal end, else a copy of the failure. */
    RemoteCallException endFailure() {
        return (this.state == InboundState.CLOSED) ? null : copy(this.failure);
    }

    /** A copy of the failure (a new exception per reader, without the original's stack), or {@code null}. */
    RemoteCallException failure() {
        return copy(this.failure);
    }

    /** Whether the implementer may complete: the end was pulled, or the pipe failed (not abandoned). */
    boolean isDrained() {
        return !this.abandoned && (this.endObserved || this.state == InboundState.FAILED || this.state == InboundState.DISCARDED);
    }

    /** For messages: the state, and the frames left to pull after the end. */
    String label(int frames) {
        if (this.abandoned) {
            return "abandoned";
        }
        return (this.state == InboundState.OPEN || frames == 0) ? this.state.label() : this.state.label() + ", " + frames + " frames to pull";
    }

    private static RemoteCallException copy(RemoteCallException ex) {
        return (ex != null) ? new RemoteCallException(ex.status(), ex.description(), ex.details(), null) : null;
    }
}
