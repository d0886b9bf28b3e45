package dev.asyncrpc.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The default completion executor of clients: runs the callbacks of asynchronous callers, handed
 * over by an event loop once per read batch. Built to make that hand-off cheap:
 * <ul>
 * <li>a task goes to a lock-free queue; if a thread is idle, the one that became idle last is woken
 * (one {@code unpark}: the others stay idle and retire, the woken one has warm caches);</li>
 * <li>if no thread is idle, every thread is running and takes the task when it is done with its own:
 * nothing is woken; a thread is started only while there are more unfinished tasks than threads,
 * up to the maximum;</li>
 * <li>an idle thread parks at once, without spinning or yielding (which on a machine with few
 * cores takes time from the event loops), and retires after {@code keepAlive} idle.</li>
 * </ul>
 * With no work it holds no thread. Tasks submitted before {@link #shutdown()} still run.
 */
public final class CompletionPool extends AbstractExecutorService {

    /** One idle period of one thread; woken once, by whoever takes it off the idle stack. */
    private static final class Waiter {

        final Thread thread;
        volatile boolean woken;

        Waiter(Thread thread) {
            this.thread = thread;
        }

        void wake() {
            this.woken = true;
            LockSupport.unpark(this.thread);
        }
    }

    private final String name;
    private final ThreadFactory factory;
    private final int max;
    private final long keepAliveNanos;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    /** Idle threads, the latest first. */
    private final ConcurrentLinkedDeque<Waiter> idle = new ConcurrentLinkedDeque<>();
    /** Tasks submitted and not finished. */
    private final AtomicInteger unfinished = new AtomicInteger();
    /** Threads started and not ended. */
    private final AtomicInteger threads = new AtomicInteger();
    private final Set<Thread> running = ConcurrentHashMap.newKeySet();
    private final Object termination = new Object();
    private volatile boolean shutdown;

    /**
     * @param name the threads' name prefix (they are named {@code name-N})
     * @param max the most threads, at least 1
     * @param keepAlive how long a thread stays idle before it retires
     * @param unit the unit of {@code keepAlive}
     */
    public CompletionPool(String name, int max, long keepAlive, TimeUnit unit) {
        if (max <= 0) {
            throw new IllegalArgumentException("max: " + max + " (expected: > 0)");
        }
        this.name = name;
        this.factory = Threads.daemon(name);
        this.max = max;
        this.keepAliveNanos = unit.toNanos(keepAlive);
    }

    @Override
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        if (this.shutdown) {
            throw new RejectedExecutionException("the " + this.name + " pool is shut down");
        }
        this.unfinished.incrementAndGet();
        this.tasks.offer(task);
        Waiter waiter = this.idle.pollFirst();
        if (waiter != null) {
            waiter.wake();
        }
        else {
            startIfShort(task);
        }
        if (this.shutdown && this.threads.get() == 0 && this.tasks.remove(task)) {
            this.unfinished.decrementAndGet(); // shut down meanwhile, and no thread is left to run it
            throw new RejectedExecutionException("the " + this.name + " pool is shut down");
        }
    }

    /** Start a thread if there are more unfinished tasks than threads and fewer threads than the maximum. */
    private void startIfShort(Runnable task) {
        while (true) {
            int t = this.threads.get();
            if (t >= this.max || this.unfinished.get() <= t) {
                return;
            }
            if (this.threads.compareAndSet(t, t + 1)) {
                break;
            }
        }
        try {
            this.factory.newThread(this::work).start();
        }
        catch (RuntimeException | OutOfMemoryError ex) {
            this.threads.decrementAndGet();
            if (this.threads.get() == 0 && this.tasks.remove(task)) {
                this.unfinished.decrementAndGet();
                throw new RejectedExecutionException("the " + this.name + " pool cannot start a thread", ex);
            }
        }
    }

    private void work() {
        Thread me = Thread.currentThread();
        this.running.add(me);
        try {
            while (true) {
                Runnable task = this.tasks.poll();
                if (task != null) {
                    run(me, task);
                    continue;
                }
                if (this.shutdown) {
                    break;
                }
                if (!waitForTask(me)) {
                    return; // retired (its count is taken already)
                }
            }
            // shut down: this thread leaves; what was queued meanwhile still runs
            this.threads.decrementAndGet();
            Runnable task;
            while ((task = this.tasks.poll()) != null) {
                run(me, task);
            }
            signalTermination();
        }
        finally {
            this.running.remove(me);
        }
    }

    /**
     * Wait idle until woken, shut down or retired.
     * @return {@code false} if this thread retired (the thread count no longer includes it)
     */
    private boolean waitForTask(Thread me) {
        Waiter waiter = new Waiter(me);
        this.idle.offerFirst(waiter);
        if (!this.tasks.isEmpty() || this.shutdown) {
            this.idle.remove(waiter); // a task came before this thread showed as idle
            return true;
        }
        long deadline = System.nanoTime() + this.keepAliveNanos;
        boolean timedOut = false;
        while (!waiter.woken && !this.shutdown) {
            long left = deadline - System.nanoTime();
            if (left <= 0 && !timedOut) {
                timedOut = true;
                if (this.idle.remove(waiter)) {
                    return !retire();
                }
                // taken off the idle stack just now: its waker unparks it at once
            }
            if (timedOut) {
                LockSupport.park(this);
            }
            else {
                LockSupport.parkNanos(this, left);
            }
        }
        if (!waiter.woken) {
            this.idle.remove(waiter); // shut down: no longer idle (a woken waiter was taken off the stack by its waker)
        }
        return true;
    }

    /**
     * Retire this idle thread, unless a task came that no other thread will run.
     * @return whether it retired
     */
    private boolean retire() {
        this.threads.decrementAndGet();
        if (this.tasks.isEmpty() || this.shutdown) {
            signalTermination();
            return true;
        }
        while (true) { // a task came and found no idle thread: stay for it if the maximum allows
            int t = this.threads.get();
            if (t >= this.max) {
                return true; // the threads there are take it
            }
            if (this.threads.compareAndSet(t, t + 1)) {
                return false;
            }
        }
    }

    private void run(Thread me, Runnable task) {
        try {
            task.run();
        }
        catch (Throwable ex) {
            me.getUncaughtExceptionHandler().uncaughtException(me, ex);
        }
        finally {
            this.unfinished.decrementAndGet();
            if (!this.shutdown) {
                Thread.interrupted(); // a task's interrupt must not end the next one's wait, nor this thread's idle park
            }
        }
    }

    private void signalTermination() {
        if (this.shutdown && this.threads.get() == 0) {
            synchronized (this.termination) {
                this.termination.notifyAll();
            }
        }
    }

    /** Threads now (started and not ended). */
    public int threads() {
        return this.threads.get();
    }

    /** Threads waiting for a task now. */
    public int idleThreads() {
        return this.idle.size();
    }

    /** Tasks waiting for a thread. */
    public int queued() {
        return this.tasks.size();
    }

    @Override
    public void shutdown() {
        this.shutdown = true;
        Waiter waiter;
        while ((waiter = this.idle.pollFirst()) != null) {
            waiter.wake();
        }
        signalTermination();
    }

    @Override
    public List<Runnable> shutdownNow() {
        shutdown();
        List<Runnable> left = new ArrayList<>();
        Runnable task;
        while ((task = this.tasks.poll()) != null) {
            left.add(task);
            this.unfinished.decrementAndGet();
        }
        for (Thread t : this.running) {
            t.interrupt();
        }
        return left;
    }

    @Override
    public boolean isShutdown() {
        return this.shutdown;
    }

    @Override
    public boolean isTerminated() {
        return this.shutdown && this.threads.get() == 0 && this.unfinished.get() == 0;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        synchronized (this.termination) {
            while (!isTerminated()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this.termination, left);
            }
            return true;
        }
    }
}
