package dev.asyncrpc.internal.server;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The lifecycle of one server call: whether its reply was decided ({@link #isDone()}), whether its
 * caller cancelled or went away, the cancel and disconnect actions its implementation registered,
 * the future its implementation returned, and its observer's start token. {@link ServerCallContext}
 * extends it, so that a call is one object (no allocation per call for its lifecycle) and its
 * monitor is this object's.
 *
 * <p>State changes happen under this object's monitor; the actions (user code) run outside it.
 * Each action runs at most once and never after the reply was decided: an action starts only while
 * the call is not done, and a completion ({@link #decide()}) on another thread waits until the
 * actions running then have returned. The thread running actions may complete the call from inside
 * one: that stops the actions after it. An action registered once its event happened runs at once,
 * on the registering thread; one registered once the call is done never runs.
 *
 * <p>Not final only so that {@link ServerCallContext} may extend it; tests use it on its own.
 */
class CallLifecycle {

    // guarded by this
    private boolean done;
    private boolean cancelled;
    private boolean disconnected;
    private List<Runnable> cancelActions;
    private List<Runnable> disconnectActions;
    /** Threads running cancel or disconnect actions now (outside the monitor). */
    private List<Thread> actionThreads;
    /** The future the implementation returned, cancelled when the caller goes away or aborts. */
    private CompletableFuture<?> returned;
    /** Written under the monitor while not done; read by the thread that decided the call. */
    private boolean observed;
    private Object observation;

    /**
     * Decide the call (its one reply is about to be sent): wait until no other thread runs its actions,
     * then mark it done, which stops actions and drops the ones registered. The done check and set are
     * one monitor entry.
     * @return {@code false} if it was decided already
     */
    final boolean decide() {
        synchronized (this) {
            awaitActionsOfOtherThreads();
            if (this.done) {
                return false;
            }
            this.done = true;
            this.cancelActions = null;
            this.disconnectActions = null;
            return true;
        }
    }

    /**
     * Wait (under the monitor, which waiting releases) until no other thread runs this call's
     * actions, so that none runs after the completion; the thread running them may complete the
     * call from inside one.
     */
    private void awaitActionsOfOtherThreads() {
        boolean interrupted = false;
        while (this.actionThreads != null && !this.actionThreads.isEmpty() && !this.actionThreads.contains(Thread.currentThread())) {
            try {
                this.wait();
            }
            catch (InterruptedException ex) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    public synchronized boolean isDone() {
        return this.done;
    }

    /** Whether the caller cancelled or went away. */
    public synchronized boolean isCancelled() {
        return this.cancelled || this.disconnected;
    }

    /**
     * The caller cancelled: the cancel actions run on this thread (once; not after the call is done).
     * An abortive cancel also cancels a future the implementation returned; a graceful one leaves the
     * outcome to the implementation.
     */
    final void cancelled(boolean abortive) {
        happened(false, abortive);
    }

    /** The caller went away: the disconnect actions run on this thread, then a returned future is cancelled. */
    final void disconnected() {
        happened(true, true);
    }

    /**
     * The caller cancelled ({@code disconnect} false) or went away: that event's actions run on this
     * thread, once, and not once the call is done; then the returned future is cancelled if
     * {@code cancelFuture}.
     */
    private void happened(boolean disconnect, boolean cancelFuture) {
        CompletableFuture<?> future;
        List<Runnable> actions;
        synchronized (this) {
            if (this.done || (disconnect ? this.disconnected : this.cancelled)) {
                return;
            }
            if (disconnect) {
                this.disconnected = true;
                actions = this.disconnectActions;
                this.disconnectActions = null;
            }
            else {
                this.cancelled = true;
                actions = this.cancelActions;
                this.cancelActions = null;
            }
            future = cancelFuture ? this.returned : null;
            enterActions(actions);
        }
        runActions(actions);
        if (future != null) {
            future.cancel(false);
        }
    }

    /** Run {@code action} if the caller cancels, at once (on this thread) if it has; never once the call is done. */
    final void addCancelAction(Runnable action) {
        addAction(action, false);
    }

    /** Run {@code action} if the caller goes away, at once (on this thread) if it has; never once the call is done. */
    final void addDisconnectAction(Runnable action) {
        addAction(action, true);
    }

    private void addAction(Runnable action, boolean onDisconnect) {
        List<Runnable> now = List.of(action);
        synchronized (this) {
            if (this.done) {
                return;
            }
            if (!(onDisconnect ? this.disconnected : this.cancelled)) {
                List<Runnable> actions = onDisconnect ? this.disconnectActions : this.cancelActions;
                if (actions == null) {
                    actions = new ArrayList<>(2);
                    if (onDisconnect) {
                        this.disconnectActions = actions;
                    }
                    else {
                        this.cancelActions = actions;
                    }
                }
                actions.add(action);
                return;
            }
            enterActions(now);
        }
        runActions(now); // cancelled or disconnected already: run it now, on this thread
    }

    /**
     * The implementation returned {@code future}, not complete yet: a later disconnect (or abortive
     * cancel) cancels it; it is cancelled at once if the caller cancelled or went away already.
     */
    final void returned(CompletableFuture<?> future) {
        boolean cancelNow;
        synchronized (this) {
            this.returned = future;
            cancelNow = this.cancelled || this.disconnected;
        }
        if (cancelNow) {
            future.cancel(false);
        }
    }

    /** Keep the observer's start token of the call (for its end), unless the call was decided already. */
    final synchronized void observed(Object token) {
        if (!this.done) {
            this.observation = token;
            this.observed = true;
        }
    }

    /** Whether the observer saw the call start; read by the thread whose {@link #decide()} returned {@code true}. */
    final boolean wasObserved() {
        return this.observed;
    }

    /** The observer's start token; read by the thread whose {@link #decide()} returned {@code true}. */
    final Object observation() {
        return this.observation;
    }

    /** This thread is about to run {@code actions} (under the monitor; no-op for none). */
    private void enterActions(List<Runnable> actions) {
        if (actions != null) {
            if (this.actionThreads == null) {
                this.actionThreads = new ArrayList<>(2);
            }
            this.actionThreads.add(Thread.currentThread());
        }
    }

    /**
     * Run cancel or disconnect actions outside the monitor (they are user code), each only while the
     * call is not done: an action that completes the call stops the ones after it, and a completion
     * from another thread waits until the actions running now have returned ({@link #decide}).
     */
    private void runActions(List<Runnable> actions) {
        if (actions == null) {
            return;
        }
        try {
            for (Runnable action : actions) {
                synchronized (this) {
                    if (this.done) {
                        break;
                    }
                }
                runSafely(action);
            }
        }
        finally {
            synchronized (this) {
                this.actionThreads.remove(Thread.currentThread());
                if (this.actionThreads.isEmpty()) {
                    this.notifyAll();
                }
            }
        }
    }

    private static void runSafely(Runnable action) {
        try {
            action.run();
        }
        catch (RuntimeException ex) {
            // logged under the call's name, as before the lifecycle was a class of its own
            System.getLogger(ServerCallContext.class.getName()).log(System.Logger.Level.WARNING, "a ServerCall action failed", ex);
        }
    }
}
