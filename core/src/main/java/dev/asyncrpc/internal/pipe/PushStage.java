package dev.asyncrpc.internal.pipe;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * The stage of a push that waits for credit. It completes off the event loop, like every pipe
 * stage, but without a hop through the executor when a thread is blocked in {@link #get()},
 * {@link #get(long, TimeUnit)} or {@link #join()} on it: the loop then hands the completion to
 * that thread ({@link #handToWaiter()}), which completes the stage itself and so runs any dependent
 * actions on its own thread, never on the loop. A producer that awaits each push (or a window of
 * pushes) is then woken once per acceptance instead of twice. The loop hands over the whole batch
 * of stages that one CREDIT accepted, so the next stages the producer awaits are complete too.
 *
 * <p>Only one blocked thread takes part; further waiters wait as on any {@link CompletableFuture}.
 * Thread-safe.
 */
final class PushStage extends CompletableFuture<Void> {

    private static final int OPEN = 0;
    private static final int WAITING = 1;
    private static final int HANDED = 2;
    /** A waiter is registering or leaving: {@link #waiter} is being written. */
    private static final int CLAIMED = 3;
    private static final VarHandle MODE;
    /** Spins before parking (as {@link CompletableFuture#get()} does on a multiprocessor). */
    private static final int SPINS = (Runtime.getRuntime().availableProcessors() > 1) ? 1 << 8 : 0;

    static {
        try {
            MODE = MethodHandles.lookup().findVarHandle(PushStage.class, "mode", int.class);
        }
        catch (ReflectiveOperationException ex) {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private volatile int mode;
    private volatile Thread waiter;
    /** The batch the waiter completes once handed over (written before the hand-over, read after). */
    private volatile List<CompletableFuture<Void>> batch;

    /**
     * The push was accepted (event loop): if a thread is blocked waiting for this stage, wake it to
     * complete the stage.
     * @return whether the waiter will complete the stage; if not the caller completes it off the loop
     */
    boolean handToWaiter() {
        return handToWaiter(List.of(this));
    }

    /**
     * Pushes were accepted (event loop), this stage's among them: if a thread is blocked waiting for
     * this stage, wake it to complete every stage of {@code accepted}, in order.
     * @return whether the waiter will complete them; if not the caller completes them off the loop
     */
    boolean handToWaiter(List<CompletableFuture<Void>> accepted) {
        if ((int) MODE.getVolatile(this) != WAITING) {
            return false;
        }
        this.batch = accepted;
        if (MODE.compareAndSet(this, WAITING, HANDED)) {
            LockSupport.unpark(this.waiter);
            return true;
        }
        this.batch = null;
        return false;
    }

    @Override
    public Void get() throws InterruptedException, ExecutionException {
        awaitHanded(0);
        return super.get();
    }

    @Override
    public Void get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        awaitHanded(deadline);
        return super.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    @Override
    public Void join() {
        awaitHanded(0);
        return super.join();
    }

    /**
     * Wait (as the one waiter) until the loop hands the completion over, the stage completes
     * another way, the deadline passes or the thread is interrupted; complete the stage if it was
     * handed over.
     * @param deadline a {@link System#nanoTime()} deadline, or 0 for none
     */
    private void awaitHanded(long deadline) {
        if (isDone()) {
            return;
        }
        Thread me = Thread.currentThread();
        if (!MODE.compareAndSet(this, OPEN, CLAIMED)) {
            return; // another thread waits this way: wait as on any future
        }
        this.waiter = me;
        this.mode = WAITING; // the loop hands over only once the waiter is known
        for (int spins = SPINS; spins > 0 && (int) MODE.getVolatile(this) == WAITING && !isDone(); spins--) {
            Thread.onSpinWait(); // a hand-over that comes at once costs no park and no wake-up
        }
        while ((int) MODE.getVolatile(this) == WAITING && !isDone() && !me.isInterrupted()) {
            if (deadline == 0) {
                LockSupport.park(this);
            }
            else {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                LockSupport.parkNanos(this, left);
            }
        }
        if (MODE.compareAndSet(this, WAITING, CLAIMED)) {
            this.waiter = null;
            this.mode = OPEN;
            return; // not handed over: the stage completes (or completed) another way
        }
        List<CompletableFuture<Void>> accepted = this.batch; // handed over: this thread completes the batch
        this.batch = null;
        super.complete(null);
        for (CompletableFuture<Void> f : accepted) {
            f.complete(null);
        }
    }

    @Override
    public boolean complete(Void value) {
        boolean done = super.complete(value);
        wake();
        return done;
    }

    @Override
    public boolean completeExceptionally(Throwable ex) {
        boolean done = super.completeExceptionally(ex);
        wake();
        return done;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean done = super.cancel(mayInterruptIfRunning);
        wake();
        return done;
    }

    private void wake() {
        Thread w = this.waiter;
        if (w != null) {
            LockSupport.unpark(w);
        }
    }
}
