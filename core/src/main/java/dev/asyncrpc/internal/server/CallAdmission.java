package dev.asyncrpc.internal.server;

import dev.asyncrpc.Status;
import dev.asyncrpc.internal.MemoryBudget;
import dev.asyncrpc.internal.protocol.Settings;
import dev.asyncrpc.internal.transport.ReadBackoff;

/**
 * Whether one connection may take a new call: the size of its metadata, the connection's limit of
 * calls in progress, a draining server, the server's memory budget for argument bytes and its
 * server-wide limit of calls in progress. A call refused because a budget is spent is counted
 * ({@link Server#refused()}: the connection's and the server-wide limit) and slows reading from its
 * connection ({@link ReadBackoff}: those two and the memory budget). Each check answers {@code null}
 * when the call may go on, or the {@link Refusal} its caller gets; only a refusal allocates. Event
 * loop only.
 */
final class CallAdmission {

    /** What the server as a whole decides and counts; {@link CallsInProgress} in production. */
    interface Server {

        /** Whether the server is shutting down: new calls are not dispatched. */
        boolean isDraining();

        /**
         * Take one of the server-wide calls in progress.
         * @return {@code false} if all of them are taken
         */
        boolean tryCallStarted();

        /** The server-wide limit of calls in progress (for the refusal's message). */
        int maxCallsInProgress();

        /** Count a call refused because a limit of calls in progress was reached. */
        void refused();
    }

    /** A refused call: the status and description its caller gets; the call never ran. */
    record Refusal(Status status, String message) {
    }

    private final Server server;
    private final Settings limits;
    private final MemoryBudget memory;
    private final ReadBackoff backoff;

    /**
     * @param server the server-wide decisions and counts
     * @param limits this server's limits (metadata size, calls in progress per connection)
     * @param memory the server-wide budget that argument bytes are charged to
     * @param backoff the connection's read backoff, told of every refusal for a spent budget
     */
    CallAdmission(Server server, Settings limits, MemoryBudget memory, ReadBackoff backoff) {
        this.server = server;
        this.limits = limits;
        this.memory = memory;
        this.backoff = backoff;
    }

    /** The admission of a connection of {@code runtime}. */
    static CallAdmission of(ServerRuntime runtime, ReadBackoff backoff) {
        return new CallAdmission(runtime.calls(), runtime.settings(), runtime.memory(), backoff);
    }

    /** A call's metadata block of {@code size} bytes fits {@code maxMetadataSize} (nothing counted). */
    Refusal checkMetadata(int size) {
        if (size > this.limits.maxMetadataSize()) {
            return new Refusal(Status.RESOURCE_EXHAUSTED, "call metadata of " + size + " bytes exceeds maxMetadataSize " + this.limits.maxMetadataSize());
        }
        return null;
    }

    /** The connection has room for one more call besides its {@code callsInProgress}. */
    Refusal checkConnection(int callsInProgress) {
        if (callsInProgress >= this.limits.maxConcurrentCalls()) {
            this.server.refused();
            this.backoff.refused();
            return new Refusal(Status.RESOURCE_EXHAUSTED, "too many calls in progress on this connection (maxConcurrentCalls "
                    + this.limits.maxConcurrentCalls() + "); the call was not run (safe to retry)");
        }
        return null;
    }

    /**
     * The server takes a call with {@code argumentBytes} of arguments: it is not draining, its memory
     * budget has room for the arguments and it has room for one more call in progress. When this
     * answers {@code null}, the call holds {@code argumentBytes} of the memory budget and one of the
     * server's calls in progress, released by whoever ends it; on a refusal it holds neither.
     */
    Refusal admit(int argumentBytes) {
        if (this.server.isDraining()) {
            return new Refusal(Status.NOT_DISPATCHED, "server is shutting down; the call was not dispatched (safe to retry elsewhere)");
        }
        if (!this.memory.tryReserve(argumentBytes)) {
            this.backoff.refused();
            return new Refusal(Status.RESOURCE_EXHAUSTED, "the server's memory budget (" + this.memory.limit()
                    + " bytes for data held for clients) cannot take the " + argumentBytes + " argument bytes of this call now;"
                    + " the call was not dispatched (safe to retry)");
        }
        if (!this.server.tryCallStarted()) {
            this.memory.release(argumentBytes);
            this.server.refused();
            this.backoff.refused();
            return new Refusal(Status.RESOURCE_EXHAUSTED, "the server has too many calls in progress (maxCallsInProgress "
                    + this.server.maxCallsInProgress() + "); the call was not run (safe to retry)");
        }
        return null;
    }

    /** A turn of the event loop (a read batch) ended: reading pauses if a call of it was refused for a spent budget. */
    void turnEnded() {
        this.backoff.turnEnded();
    }

    /** The connection is gone. */
    void stop() {
        this.backoff.stop();
    }
}
