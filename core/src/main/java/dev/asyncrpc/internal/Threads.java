package dev.asyncrpc.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Thread factories and the default executors of clients and servers. */
public final class Threads {

    private Threads() {
    }

    public static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * A pool of up to {@code threads} threads, made on demand and retired after 60 s idle, with an
     * unbounded queue in front (the runtime bounds the work it submits: calls per connection).
     */
    public static ExecutorService pool(String prefix, int threads) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), daemon(prefix));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /**
     * A pool that starts a thread only when a task finds no idle thread, up to {@code max}, and
     * retires threads idle for {@code keepAlive}; beyond {@code max} busy threads tasks queue
     * (unbounded: the runtime bounds the work it submits). With no work it holds no thread.
     * A plain {@code ThreadPoolExecutor} instead starts a new thread for every task until its core
     * size is reached, busy or not.
     */
    public static ThreadPoolExecutor growingPool(String prefix, int max, long keepAlive, TimeUnit unit) {
        return new GrowingPool(prefix, max, keepAlive, unit, new HandOffQueue());
    }

    /** Counts the tasks submitted and not finished, so that its queue can tell whether a thread is (about to be) free. */
    private static final class GrowingPool extends ThreadPoolExecutor {

        final AtomicInteger unfinished = new AtomicInteger();

        GrowingPool(String prefix, int max, long keepAlive, TimeUnit unit, HandOffQueue queue) {
            super(0, max, keepAlive, unit, queue, daemon(prefix), (task, executor) -> {
                if (executor.isShutdown()) {
                    throw new RejectedExecutionException("the " + prefix + " pool is shut down");
                }
                queue.force(task); // every thread is busy, or one was being added concurrently: wait in the queue
            });
            queue.pool = this;
        }

        @Override
        public void execute(Runnable task) {
            this.unfinished.incrementAndGet();
            try {
                super.execute(task);
            }
            catch (RuntimeException ex) {
                this.unfinished.decrementAndGet();
                throw ex;
            }
        }

        @Override
        protected void afterExecute(Runnable task, Throwable failure) {
            this.unfinished.decrementAndGet();
        }
    }

    /**
     * Hands a task straight to an idle thread polling the queue, or queues it when a thread is
     * about to be free; refuses it (so that the pool starts a thread) while the pool is below its
     * maximum; queues it otherwise.
     */
    private static final class HandOffQueue extends LinkedTransferQueue<Runnable> {

        private static final long serialVersionUID = 1L;

        transient volatile GrowingPool pool;

        @Override
        public boolean offer(Runnable task) {
            if (tryTransfer(task)) {
                return true;
            }
            GrowingPool p = this.pool;
            if (p == null) {
                return super.offer(task);
            }
            int threads = p.getPoolSize();
            // unfinished counts this task: at most one per thread means one thread is finishing a task
            if (p.unfinished.get() <= threads || threads >= p.getMaximumPoolSize()) {
                return super.offer(task);
            }
            return false;
        }

        void force(Runnable task) {
            super.offer(task);
        }
    }
}
