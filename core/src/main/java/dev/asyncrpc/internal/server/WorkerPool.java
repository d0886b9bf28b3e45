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

import dev.asyncrpc.RemoteCallException;
import dev.asyncrpc.Status;
import dev.asyncrpc.internal.PeerWait;

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
 * <b>Parked workers.</b> A worker whose task waits for a peer (a plain implementation reading an
 * in-pipe with no data yet, see {@link PeerWait}) is <em>parked</em>: it does not count against
 * {@code max}, so that the pool may start another thread in its place while tasks wait (like
 * {@link java.util.concurrent.ForkJoinPool.ManagedBlocker} compensation). At most
 * {@code maxParked} workers are parked at once; a task that would park beyond that is refused
 * ({@link Status#RESOURCE_EXHAUSTED} thrown from its wait) instead of taking a worker from every
 * other task. So the pool holds at most {@code max + maxParked} threads; when parked workers wake
 * and more than {@code max} are not parked, each of the extra ones retires as soon as its task ends.
 * <p>
 * A plain call whose implementation has returned marks its worker as finishing
 * ({@link #finishing()}) before its reply is sent, so that the next call of a caller that waits for
 * that reply is queued for this worker rather than starting a new thread.
 */
final class WorkerPool extends AbstractExecutorService {

    /** The names of the limit on parked workers, for the message of a refusal. */
    static final String MAX_PARKED_SETTING = "maxParkedWorkers, property asyncrpc.server.max-parked-workers";

    private final String prefix;
    private final int core;
    private final int max;
    private final int maxParked;
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
    private int parked;
    private long parkRefused;
    private int serial;
    private boolean shutdown;

    /**
     * @param prefix the worker thread name prefix
     * @param core threads started without waiting for a queue to form
     * @param max the most threads not parked
     * @param maxParked the most workers parked (waiting for a peer) at once, on top of {@code max}
     * @param keepAlive how long an idle worker waits for work before it retires
     */
    WorkerPool(String prefix, int core, int max, int maxParked, Duration keepAlive) {
        if (max <= 0) {
            throw new IllegalArgumentException("workerThreads: " + max + " (expected: > 0)");
        }
        if (maxParked <= 0) {
            throw new IllegalArgumentException("maxParkedWorkers: " + maxParked + " (expected: > 0)");
        }
        if (keepAlive.isNegative() || keepAlive.isZero()) {
            throw new IllegalArgumentException("workerKeepAlive: " + keepAlive + " (expected: > 0)");
        }
        this.prefix = prefix;
        this.core = Math.max(1, Math.min(core, max));
        this.max = max;
        this.maxParked = maxParked;
        this.keepAliveNanos = keepAlive.toNanos();
    }

    /** The number of cores, the default core size. */
    static int defaultCore() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** Read a count under the pool's lock (for gauges and tests, not a hot path). */
    private long readLocked(java.util.function.LongSupplier count) {
        this.lock.lock();
        try {
            return count.getAsLong();
        }
        finally {
            this.lock.unlock();
        }
    }

    int maxThreads() {
        return this.max;
    }

    /** Threads alive now. */
    int threads() {
        return (int) readLocked(() -> this.threads);
    }

    /** Tasks running now. */
    int running() {
        return (int) readLocked(() -> this.running);
    }

    int maxParked() {
        return this.maxParked;
    }

    /** Workers parked now: their tasks wait for a peer. */
    int parked() {
        return (int) readLocked(() -> this.parked);
    }

    /** Waits refused since the pool was made because {@code maxParked} workers were parked. */
    long parkRefused() {
        return readLocked(() -> this.parkRefused);
    }

    /** Tasks waiting for a thread. */
    int queued() {
        return (int) readLocked(this.queue::size);
    }

    /**
     * The task running on this thread has done its work and is only sending its reply: the pool may
     * count this worker as free when it decides whether to start a thread. No effect on other threads.
     */
    static void finishing() {
        if (Thread.currentThread() instanceof Worker w) {
            w.pool().markFinishing(w);
        }
    }

    /** The task running on this thread took on more work after {@link #finishing()}: it is busy again. */
    static void resumed() {
        if (Thread.currentThread() instanceof Worker w) {
            w.pool().markResumed(w);
        }
    }

    private void markResumed(Worker w) {
        this.lock.lock();
        try {
            resumeLocked(w);
        }
        finally {
            this.lock.unlock();
        }
    }

    private void resumeLocked(Worker w) {
        if (w.finishing) {
            w.finishing = false;
            this.busy++;
        }
    }

    /** Whether a task that waits in the queue should start a thread (guarded by lock). */
    private boolean mayStartLocked() {
        return this.threads < this.core || (this.busy + this.queue.size() > this.threads && this.threads - this.parked < this.max);
    }

    /**
     * The task of {@code w} is about to wait for a peer: {@code w} no longer counts against
     * {@code max}, and a thread starts in its place if tasks are queued.
     * @throws RemoteCallException ({@link Status#RESOURCE_EXHAUSTED}) if {@code maxParked} workers are parked already
     */
    private void park(Worker w) {
        boolean start;
        this.lock.lock();
        try {
            if (w.parked) {
                return;
            }
            if (this.parked >= this.maxParked) {
                this.parkRefused++;
                throw new RemoteCallException(Status.RESOURCE_EXHAUSTED, "the server already has " + this.maxParked
                        + " worker threads waiting for pipe data (" + MAX_PARKED_SETTING + "): this call stops waiting rather than"
                        + " take a worker from other calls; it had started, so retry it only if it is idempotent");
            }
            resumeLocked(w);
            w.parked = true;
            this.parked++;
            start = !this.shutdown && !this.queue.isEmpty() && mayStartLocked();
            if (start) {
                this.threads++;
            }
        }
        finally {
            this.lock.unlock();
        }
        if (start) {
            startWorker(null);
        }
    }

    /** The task of {@code w} no longer waits for a peer: {@code w} counts against {@code max} again. */
    private void unpark(Worker w) {
        this.lock.lock();
        try {
            if (w.parked) {
                w.parked = false;
                this.parked--;
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
                if (mayStartLocked()) {
                    this.threads++;
                    start = true;
                }
            }
        }
        finally {
            this.lock.unlock();
        }
        if (handed != null) {
            LockSupport.unpark(handed);
        }
        else if (start) {
            startWorker(task);
        }
    }

    /** Start a worker counted in {@code threads} already; {@code task} is the queued task it was started for, or {@code null}. */
    private void startWorker(Runnable task) {
        Worker w = null;
        try {
            w = new Worker(this.prefix + "-" + nextSerial());
            this.lock.lock();
            try {
                this.workers.add(w);
            }
            finally {
                this.lock.unlock();
            }
            w.start();
        }
        catch (Throwable ex) { // OutOfMemoryError: unable to create native thread, among others
            boolean orphan;
            this.lock.lock();
            try {
                this.threads--;
                this.workers.remove(w);
                orphan = this.threads == 0 && task != null && this.queue.remove(task);
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
            if (w.parked) { // its task did not say its wait ended
                w.parked = false;
                this.parked--;
            }
            if (this.threads - this.parked > this.max) { // parked workers woke up: this one was extra
                retireLocked(w);
                return null;
            }
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
                    retireLocked(w);
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

    private void retireLocked(Worker w) {
        this.idle.remove(w);
        this.threads--;
        this.workers.remove(w);
        signalIfTerminated();
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
        wake.forEach(LockSupport::unpark);
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
            w.interrupt();
            LockSupport.unpark(w);
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
    private final class Worker extends Thread implements PeerWait.Aware {

        /** A task handed to this idle worker (guarded by the pool's lock). */
        Runnable next;
        /** Whether the running task declared itself finishing (guarded by the pool's lock). */
        boolean finishing;
        /** Whether the running task waits for a peer (guarded by the pool's lock). */
        boolean parked;

        Worker(String name) {
            super(name);
            setDaemon(true);
        }

        WorkerPool pool() {
            return WorkerPool.this;
        }

        @Override
        public void peerWaitBegins() {
            park(this);
        }

        @Override
        public void peerWaitEnds() {
            unpark(this);
        }

        @Override
        public void run() {
            Runnable task = next(this, false);
            while (task != null) {
                try {
                    task.run();
                }
                catch (Throwable ex) {
                    getUncaughtExceptionHandler().uncaughtException(this, ex);
                }
                Thread.interrupted(); // a task's interrupt does not leak into the next one
                task = next(this, true);
            }
        }
    }
}
