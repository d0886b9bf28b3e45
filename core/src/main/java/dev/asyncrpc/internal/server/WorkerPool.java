package dev.asyncrpc.internal.server;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The server's default worker executor. It starts a thread only when a task would otherwise wait:
 * <ul>
 * <li>a task goes to an idle worker when there is one (the one idle for the shortest time, so that
 * the others retire);</li>
 * <li>else it is queued (FIFO, unbounded: the runtime bounds what it submits through its call
 * budget), and a new thread starts while there are fewer than {@code core} threads, or when the
 * queued tasks outnumber the threads that will soon be free, up to {@code max} threads;</li>
 * <li>a worker idle for {@code keepAlive} retires (core threads too).</li>
 * </ul>
 * A plain call whose implementation has returned marks its worker as finishing
 * ({@link #finishing()}) before its reply is sent, so that the next call of a caller that waits for
 * that reply is queued for this worker rather than starting a new thread.
 */
final class WorkerPool extends AbstractExecutorService {

    private static final ThreadLocal<Worker> CURRENT = new ThreadLocal<>();

    private final String prefix;
    private final int core;
    private final int max;
    private final long keepAliveNanos;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition terminated = this.lock.newCondition();
    // guarded by lock
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    private final ArrayDeque<Worker> idle = new ArrayDeque<>();
    private final List<Worker> workers = new ArrayList<>();
    private int threads;
    private int busy;
    private int running;
    private int serial;
    private boolean shutdown;

    /**
     * @param prefix the worker thread name prefix
     * @param core threads started without waiting for a queue to form
     * @param max the most threads
     * @param keepAlive how long an idle worker waits for work before it retires
     */
    WorkerPool(String prefix, int core, int max, Duration keepAlive) {
        if (max <= 0) {
            throw new IllegalArgumentException("workerThreads: " + max + " (expected: > 0)");
        }
        if (keepAlive.isNegative() || keepAlive.isZero()) {
            throw new IllegalArgumentException("workerKeepAlive: " + keepAlive + " (expected: > 0)");
        }
        this.prefix = prefix;
        this.core = Math.max(1, Math.min(core, max));
        this.max = max;
        this.keepAliveNanos = keepAlive.toNanos();
    }

    /** The number of cores, the default core size. */
    static int defaultCore() {
        return Runtime.getRuntime().availableProcessors();
    }

    int maxThreads() {
        return this.max;
    }

    /** Threads alive now. */
    int threads() {
        this.lock.lock();
        try {
            return this.threads;
        }
        finally {
            this.lock.unlock();
        }
    }

    /** Tasks running now. */
    int running() {
        this.lock.lock();
        try {
            return this.running;
        }
        finally {
            this.lock.unlock();
        }
    }

    /** Tasks waiting for a thread. */
    int queued() {
        this.lock.lock();
        try {
            return this.queue.size();
        }
        finally {
            this.lock.unlock();
        }
    }

    /**
     * The task running on this thread has done its work and is only sending its reply: the pool may
     * count this worker as free when it decides whether to start a thread. No effect on other threads.
     */
    static void finishing() {
        Worker w = CURRENT.get();
        if (w != null) {
            w.pool().markFinishing(w);
        }
    }

    /** The task running on this thread took on more work after {@link #finishing()}: it is busy again. */
    static void resumed() {
        Worker w = CURRENT.get();
        if (w != null) {
            w.pool().markResumed(w);
        }
    }

    private void markResumed(Worker w) {
        this.lock.lock();
        try {
            if (w.finishing) {
                w.finishing = false;
                this.busy++;
            }
        }
        finally {
            this.lock.unlock();
        }
    }

    private void markFinishing(Worker w) {
        this.lock.lock();
        try {
            if (!w.finishing) {
                w.finishing = true;
                this.busy--;
            }
        }
        finally {
            this.lock.unlock();
        }
    }

    @Override
    public void execute(Runnable task) {
        Worker handed;
        boolean start = false;
        this.lock.lock();
        try {
            if (this.shutdown) {
                throw new RejectedExecutionException("the worker pool is shut down");
            }
            handed = this.idle.pollFirst();
            if (handed != null) {
                handed.next = task;
                this.busy++;
                this.running++;
            }
            else {
                this.queue.addLast(task);
                if (this.threads < this.core || (this.busy + this.queue.size() > this.threads && this.threads < this.max)) {
                    this.threads++;
                    start = true;
                }
            }
        }
        finally {
            this.lock.unlock();
        }
        if (handed != null) {
            LockSupport.unpark(handed.thread);
        }
        else if (start) {
            startWorker(task);
        }
    }

    private void startWorker(Runnable task) {
        Worker w = new Worker();
        Thread t;
        try {
            t = new Thread(w, this.prefix + "-" + nextSerial());
            t.setDaemon(true);
            w.thread = t;
            this.lock.lock();
            try {
                this.workers.add(w);
            }
            finally {
                this.lock.unlock();
            }
            t.start();
        }
        catch (Throwable ex) { // OutOfMemoryError: unable to create native thread, among others
            boolean orphan;
            this.lock.lock();
            try {
                this.threads--;
                this.workers.remove(w);
                orphan = this.threads == 0 && this.queue.remove(task);
                signalIfTerminated();
            }
            finally {
                this.lock.unlock();
            }
            if (orphan) {
                throw new RejectedExecutionException("cannot start a worker thread: " + ex, ex);
            }
        }
    }

    private int nextSerial() {
        this.lock.lock();
        try {
            return ++this.serial;
        }
        finally {
            this.lock.unlock();
        }
    }

    /** The next task for {@code w}, waiting up to the keep-alive; {@code null} when it retires. */
    private Runnable next(Worker w, boolean ranOne) {
        this.lock.lock();
        try {
            if (ranOne) {
                this.running--;
                if (!w.finishing) {
                    this.busy--;
                }
            }
            w.finishing = false;
            long deadline = System.nanoTime() + this.keepAliveNanos;
            while (true) {
                Runnable task = (w.next != null) ? w.next : this.queue.pollFirst();
                if (task != null) {
                    if (w.next != null) {
                        w.next = null; // busy and running were counted by the submitter
                    }
                    else {
                        this.busy++;
                        this.running++;
                    }
                    return task;
                }
                long left = deadline - System.nanoTime();
                if (this.shutdown || left <= 0) {
                    this.idle.remove(w);
                    this.threads--;
                    this.workers.remove(w);
                    signalIfTerminated();
                    return null;
                }
                if (!this.idle.contains(w)) {
                    this.idle.addFirst(w);
                }
                this.lock.unlock();
                try {
                    LockSupport.parkNanos(this, left);
                }
                finally {
                    this.lock.lock();
                }
                if (w.next != null) {
                    this.idle.remove(w);
                }
            }
        }
        finally {
            this.lock.unlock();
        }
    }

    private void signalIfTerminated() {
        if (this.shutdown && this.threads == 0) {
            this.terminated.signalAll();
        }
    }

    @Override
    public void shutdown() {
        List<Worker> wake;
        this.lock.lock();
        try {
            this.shutdown = true;
            wake = new ArrayList<>(this.idle);
            signalIfTerminated();
        }
        finally {
            this.lock.unlock();
        }
        wake.forEach(w -> LockSupport.unpark(w.thread));
    }

    @Override
    public List<Runnable> shutdownNow() {
        List<Runnable> left;
        List<Worker> all;
        this.lock.lock();
        try {
            this.shutdown = true;
            left = new ArrayList<>(this.queue);
            this.queue.clear();
            all = new ArrayList<>(this.workers);
            signalIfTerminated();
        }
        finally {
            this.lock.unlock();
        }
        for (Worker w : all) {
            if (w.thread != null) {
                w.thread.interrupt();
                LockSupport.unpark(w.thread);
            }
        }
        return left;
    }

    @Override
    public boolean isShutdown() {
        this.lock.lock();
        try {
            return this.shutdown;
        }
        finally {
            this.lock.unlock();
        }
    }

    @Override
    public boolean isTerminated() {
        this.lock.lock();
        try {
            return this.shutdown && this.threads == 0;
        }
        finally {
            this.lock.unlock();
        }
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = unit.toNanos(timeout);
        this.lock.lock();
        try {
            while (!(this.shutdown && this.threads == 0)) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = this.terminated.awaitNanos(nanos);
            }
            return true;
        }
        finally {
            this.lock.unlock();
        }
    }

    /** One worker thread: runs its first task, then whatever it is handed or finds queued. */
    private final class Worker implements Runnable {

        Thread thread;
        /** A task handed to this idle worker (guarded by the pool's lock). */
        Runnable next;
        /** Whether the running task declared itself finishing (guarded by the pool's lock). */
        boolean finishing;

        WorkerPool pool() {
            return WorkerPool.this;
        }

        @Override
        public void run() {
            CURRENT.set(this);
            try {
                Runnable task = next(this, false);
                while (task != null) {
                    try {
                        task.run();
                    }
                    catch (Throwable ex) {
                        Thread.currentThread().getUncaughtExceptionHandler().uncaughtException(Thread.currentThread(), ex);
                    }
                    Thread.interrupted(); // a task's interrupt does not leak into the next one
                    task = next(this, true);
                }
            }
            finally {
                CURRENT.remove();
            }
        }
    }
}
