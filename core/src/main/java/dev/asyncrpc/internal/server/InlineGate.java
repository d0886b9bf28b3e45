package dev.asyncrpc.internal.server;

import java.util.concurrent.atomic.AtomicBoolean;

import dev.asyncrpc.internal.contract.ReturnKind;

/**
 * Decides whether the calls of one asynchronous operation may run on the event loop that read them
 * (inline dispatch, the default), takes that right away once its invocations are slow, and gives it
 * back once they have been fast for long enough, at most {@value #MAX_DEMOTIONS} times.
 *
 * <p>An operation starts on the workers: its first {@value #WARM_UP} invocations run there (class
 * loading and linking make the first ones slow); then its calls run inline. Every invocation is
 * timed, wherever it runs, from the call of the implementation method to its return (not to the
 * completion of the future it returns), except the first {@value #COLD}. The operation is demoted to
 * the workers, with a WARN naming it, by {@value #STRIKES} invocations slower than the limit within
 * {@value #WINDOW} invocations. One slow invocation alone proves nothing: a thread is preempted on a
 * busy machine, or stopped by the garbage collector or the JIT compiler (for tens of milliseconds at
 * times), in the middle of a short call now and then; an implementation that blocks does it again.
 *
 * <p>A demotion may still be the machine's doing (a starved container, a cold start whose first
 * page faults and compilations land on three runs in a row). So a demoted operation goes on being
 * timed on the workers, and once {@value #PROBATION} of its invocations in a row there have been
 * within the limit, it runs inline again (logged at INFO). The last of at most
 * {@value #MAX_DEMOTIONS} demotions is for good. An implementation that really blocks is slow on the workers too, and stays there.
 *
 * <p>Eligible: asynchronous implementations (a returned {@code CompletableFuture} or
 * {@code CompletionStage}, or an {@code AsyncReply} parameter) without pipes. A call of a service
 * with server interceptors runs inline only when each of them says it will not block for that call
 * ({@code ServerInterceptor.mayRunOnEventLoop}, asked by the connection). Plain implementations
 * always run on workers. Thread-safe; the counts are best effort (racy updates may lose one).
 */
final class InlineGate {

    private static final System.Logger LOG = System.getLogger(InlineGate.class.getName());

    /** Invocations run on the workers before the operation may run inline. */
    static final int WARM_UP = 32;

    /** The first invocations, not timed (cold code). */
    static final int COLD = 8;

    /** Invocations slower than the limit, within {@link #WINDOW} invocations, that demote. */
    static final int STRIKES = 3;

    /** Invocations per window of {@link #STRIKES} (a power of two). */
    static final int WINDOW = 128;

    /** Invocations in a row within the limit, on the workers, that give a demoted operation its inline runs back. */
    static final int PROBATION = 4096;

    /** Demotions after which the operation stays on the workers for good. */
    static final int MAX_DEMOTIONS = 3;

    /** What the WARN names as the setting to change. */
    static final String PROPERTY = "asyncrpc.server.inline-dispatch-limit (AsyncRpcServer.Builder#inlineDispatchLimit)";

    private final String operation;
    /** What is timed, for the log: the implementation itself, or its pipe callbacks. */
    private final boolean callbacks;
    private final long limitNanos;
    /** Invocations timed so far (racy: best effort). */
    private int invocations;
    /** Slow invocations in the current window (racy: best effort). */
    private int slow;
    /** Collections the garbage collector had made at the last slow pipe callback; -1 before the first. */
    private long collections = -1;
    private final AtomicBoolean demoted = new AtomicBoolean();
    /** Demotions so far (changed only by the thread that flips {@link #demoted}). */
    private volatile int demotions;
    /** Invocations in a row within the limit since the last demotion (racy: best effort). */
    private int fastStreak;
    /** Whether calls may run inline now: warmed up and not demoted. */
    private volatile boolean open;

    /**
     * @param operation the operation's full name, for the log
     * @param limitNanos the longest an invocation may take, in nanoseconds (&gt; 0)
     */
    InlineGate(String operation, long limitNanos) {
        this(operation, limitNanos, false);
    }

    InlineGate(String operation, long limitNanos, boolean callbacks) {
        this.operation = operation;
        this.limitNanos = limitNanos;
        this.callbacks = callbacks;
    }

    /**
     * The gate of the {@code onAvailable} callbacks of an operation's in-pipes (registered without
     * an executor), or {@code null} if they always run on the workers: the operation has no pipes,
     * its implementation is plain, or the limit is 0. The same rules as for calls apply to the
     * callbacks' runs: {@value #WARM_UP} on the workers first, demoted for good by {@value #STRIKES}
     * slow ones within {@value #WINDOW}; but a run is slow beyond {@value #CALLBACK_FACTOR} times
     * the limit, and a slow run during which the garbage collector may have run is forgiven
     * ({@link #collectedSinceLastLook()}).
     * @param limitNanos the inline dispatch limit; 0 turns inline callbacks off
     */
    static InlineGate ofPipeCallbacks(ServerMethod method, long limitNanos) {
        boolean eligible = limitNanos > 0 && method.pipes != null && method.isAsync();
        return eligible ? new InlineGate(method.model.fullName(), limitNanos * CALLBACK_FACTOR, true) : null;
    }

    /** A pipe callback's limit, in inline dispatch limits. */
    static final int CALLBACK_FACTOR = 4;

    /**
     * The gate of an operation, or {@code null} if its calls never run inline.
     * @param limitNanos the limit; 0 turns inline dispatch off
     */
    static InlineGate of(ServerMethod method, long limitNanos) {
        ReturnKind kind = method.model.returnKind();
        boolean eligible = limitNanos > 0 && method.pipes == null
                && (kind == ReturnKind.COMPLETABLE_FUTURE || kind == ReturnKind.COMPLETION_STAGE || kind == ReturnKind.REPLY_HANDLE);
        return eligible ? new InlineGate(method.model.fullName(), limitNanos) : null;
    }

    /** Whether the next call may run inline. Any thread. */
    boolean isOpen() {
        return this.open && !this.demoted.get(); // a warm-up ending as another thread demotes may set open late
    }

    /** Whether the operation is demoted to the workers now (for good after {@value #MAX_DEMOTIONS} demotions). */
    boolean isDemoted() {
        return this.demoted.get();
    }

    /** How many times the operation was demoted. */
    int demotions() {
        return this.demotions;
    }

    /**
     * One invocation of the implementation method took {@code nanos}. Any thread.
     * @param inline whether it ran on an event loop
     */
    void invoked(long nanos, boolean inline) {
        int n = this.invocations + 1;
        if (n < 0) {
            n = WARM_UP; // wrapped after 2^31 invocations: the warm-up stays done
        }
        this.invocations = n;
        if (this.demoted.get()) {
            onProbation(nanos);
            return;
        }
        if (nanos > this.limitNanos && n > COLD && !(this.callbacks && collectedSinceLastLook()) && ++this.slow >= STRIKES) {
            demote(nanos, inline);
            return;
        }
        if ((n & (WINDOW - 1)) == 0) {
            this.slow = 0;
        }
        if (n >= WARM_UP && !this.open && !this.demoted.get()) {
            this.open = true;
        }
    }

    /** A demoted operation's invocation (on a worker): count the streak of fast ones, and promote it at the end of its probation. */
    private void onProbation(long nanos) {
        if (nanos > this.limitNanos && !(this.callbacks && collectedSinceLastLook())) {
            this.fastStreak = 0;
            return;
        }
        if (++this.fastStreak < PROBATION || this.demotions >= MAX_DEMOTIONS) {
            return;
        }
        this.fastStreak = 0;
        this.slow = 0;
        if (this.demoted.compareAndSet(true, false)) {
            this.open = true;
            LOG.log(System.Logger.Level.INFO, String.format(java.util.Locale.ROOT,
                    "asyncrpc server: the %s of %s %s been within the limit of %d µs %d times in a row on the worker pool; %s on the event loop again (after demotion %d of at most %d)",
                    this.callbacks ? "onAvailable callbacks of the pipes" : "asynchronous implementation", this.operation,
                    this.callbacks ? "have" : "has", this.limitNanos / 1000, PROBATION, this.callbacks ? "they run" : "its calls run",
                    this.demotions, MAX_DEMOTIONS));
        }
    }

    /**
     * Whether the garbage collector ran since the last slow pipe callback (or ever, at the first):
     * a pipe callback that copies out streaming data allocates at the rate the data arrives, so a
     * young collection stops it more often than not, and a pause of a few milliseconds (tens on a
     * busy machine) is not the callback's doing. Looked at only after a slow run; a callback that
     * blocks is slow run after run, with no collection in between, and is demoted all the same.
     */
    private boolean collectedSinceLastLook() {
        long count = 0;
        for (java.lang.management.GarbageCollectorMXBean gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, gc.getCollectionCount());
        }
        boolean collected = count != this.collections;
        this.collections = count;
        return collected;
    }

    private void demote(long nanos, boolean inline) {
        this.open = false;
        if (this.demoted.compareAndSet(false, true)) {
            this.fastStreak = 0;
            int d = ++this.demotions;
            String until = (d >= MAX_DEMOTIONS)
                    ? "from now on (demotion " + d + " of " + MAX_DEMOTIONS + ": for good)"
                    : "until " + PROBATION + " in a row there are within the limit (demotion " + d + " of at most " + MAX_DEMOTIONS + ")";
            if (this.callbacks) {
                LOG.log(System.Logger.Level.WARNING, String.format(java.util.Locale.ROOT,
                        "asyncrpc server: the onAvailable callbacks of the pipes of %s are slow (%d of %d runs took longer than the limit of %d µs, the last %.1f ms %s); they run on"
                                + " the worker pool %s. A pipe callback should pull what is there and return, never block;"
                                + " to change the limit, or to run pipe callbacks on the workers always (0), set %s",
                        this.operation, STRIKES, WINDOW, this.limitNanos / 1000, nanos / 1e6, inline ? "on an event loop" : "on a worker", until, PROPERTY));
                return;
            }
            LOG.log(System.Logger.Level.WARNING, String.format(java.util.Locale.ROOT,
                    "asyncrpc server: the asynchronous implementation of %s is slow (%d of %d invocations took longer than the limit of %d µs, the last %.1f ms %s); its calls run on"
                            + " the worker pool %s. An asynchronous implementation should return at once and never block;"
                            + " to change the limit, or to turn inline dispatch off (0), set %s",
                    this.operation, STRIKES, WINDOW, this.limitNanos / 1000, nanos / 1e6, inline ? "on an event loop" : "on a worker", until, PROPERTY));
        }
    }

    @Override
    public String toString() {
        return "InlineGate[" + this.operation + (this.callbacks ? " pipe callbacks" : "") + (this.demoted.get() ? ", demoted" + (this.demotions >= MAX_DEMOTIONS ? " for good" : "") : this.open ? ", open" : ", warming up") + "]";
    }
}
