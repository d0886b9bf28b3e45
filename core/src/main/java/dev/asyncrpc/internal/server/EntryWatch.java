package dev.asyncrpc.internal.server;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Releases the next call of an ordering key once a plain call has provably entered its
 * implementation method, so that the calls of one key enter in issue order, exactly, while they
 * may still overlap. Proof of entry is one of:
 * <ul>
 * <li>the invocation returned (or threw);</li>
 * <li>the invoking thread, seen waiting, timed-waiting or blocked, or still runnable after
 * {@value #STACK_CHECK_AFTER_MICROS} µs (computing, or in native I/O), shows a frame of the
 * implementation method called by the {@link Invoker} in its stack (a thread blocked before it
 * entered, for example while a class loads, does not count).</li>
 * </ul>
 * Checks run on a timer (the connection's event loop; no user code), and only while another call
 * of the key waits ({@link #kick()}): first after {@value #FIRST_CHECK_MICROS} µs, then at doubling
 * intervals up to {@value #MAX_INTERVAL_MICROS} µs. The release runs at most once.
 */
final class EntryWatch {

    static final long FIRST_CHECK_MICROS = 50;

    static final long MAX_INTERVAL_MICROS = 5_000;

    static final long STACK_CHECK_AFTER_MICROS = 2_000;

    private final Runnable release;
    private final ScheduledExecutorService timer;
    private final String methodName;
    private final AtomicBoolean released = new AtomicBoolean();
    private final AtomicBoolean watching = new AtomicBoolean();
    private volatile boolean wanted;
    private volatile Thread thread;
    private volatile long since;

    /**
     * @param release what to run once, when the call entered (or will never enter) its method
     * @param timer where the checks run
     * @param methodName the implementation method's name, looked for in the invoking thread's stack
     */
    EntryWatch(Runnable release, ScheduledExecutorService timer, String methodName) {
        this.release = release;
        this.timer = timer;
        this.methodName = methodName;
    }

    /** The current thread is about to invoke the implementation method: start watching. */
    void invoking() {
        this.since = System.nanoTime();
        this.thread = Thread.currentThread();
        if (this.wanted) {
            watch();
        }
    }

    /** Another call of the key waits for this one to enter: watch for it (any thread). */
    void kick() {
        this.wanted = true;
        if (this.thread != null) {
            watch();
        }
    }

    private void watch() {
        if (!this.released.get() && this.watching.compareAndSet(false, true)) {
            schedule(FIRST_CHECK_MICROS);
        }
    }

    /** The invocation returned or threw, or the call ends without one: release now. */
    void release() {
        if (this.released.compareAndSet(false, true)) {
            this.release.run();
        }
    }

    boolean isReleased() {
        return this.released.get();
    }

    private void schedule(long micros) {
        try {
            this.timer.schedule(() -> check(micros), micros, TimeUnit.MICROSECONDS);
        }
        catch (java.util.concurrent.RejectedExecutionException ex) {
            // the event loop is shutting down: the invocation's return releases the next call
        }
    }

    private void check(long interval) {
        if (this.released.get()) {
            return;
        }
        Thread t = this.thread;
        Thread.State state = t.getState();
        boolean waiting = state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING || state == Thread.State.BLOCKED;
        if ((waiting || System.nanoTime() - this.since >= STACK_CHECK_AFTER_MICROS * 1_000) && inMethod(t)) {
            release();
            return;
        }
        schedule(Math.min(interval * 2, MAX_INTERVAL_MICROS));
    }

    /** Whether a frame called by the invoker (above it in the stack) is the implementation method. */
    private boolean inMethod(Thread t) {
        boolean seen = false;
        for (StackTraceElement frame : t.getStackTrace()) { // innermost first
            if (frame.getClassName().equals(Invoker.class.getName())) {
                return seen; // the method counts only when the invoker called it
            }
            if (frame.getMethodName().equals(this.methodName) && !frame.getClassName().startsWith("java.lang.invoke.")) {
                seen = true;
            }
        }
        return false;
    }
}
