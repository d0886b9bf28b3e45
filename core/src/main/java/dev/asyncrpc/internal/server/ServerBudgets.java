package dev.asyncrpc.internal.server;

import java.time.Duration;
import java.util.concurrent.ExecutorService;

/**
 * The defaults of the server's budgets and worker pool, in one place so that the builder, the
 * Spring properties and the docs agree.
 * <ul>
 * <li>calls in progress on all connections: max heap / 8 KiB, between 1,024 and 1,000,000 (a call in
 * progress costs the server about 1 to 2 KiB of heap besides what its implementation holds, so this
 * keeps the calls' own bookkeeping under about a quarter of the heap: 32,768 calls at
 * {@code -Xmx256m});</li>
 * <li>calls in progress on one connection: an eighth of that, at most 10,000 (4,096 at
 * {@code -Xmx256m}), so that a few connections cannot take the whole budget;</li>
 * <li>worker threads: at most 64, one per core started without waiting, retired after 60 s idle;</li>
 * <li>workers parked at once on pipes that hold no data yet, each replaced by another thread while
 * it waits: 256 (so at most 64 + 256 worker threads);</li>
 * <li>tasks of one connection on the workers at once: half the most worker threads (at least 1);</li>
 * <li>frames one connection may have handled per turn of its event loop: {@link #FRAMES_PER_TURN}.</li>
 * </ul>
 */
public final class ServerBudgets {

    /**
     * The most frames of one connection decoded and handled per turn of its event loop; the rest of
     * what was read waits (reading paused) for the next turn, after the loop's other connections,
     * accepts and tasks. Bounds the time one peer flooding small frames holds an event loop.
     */
    public static final int FRAMES_PER_TURN = 256;

    /** Heap assumed per call in progress when the server-wide budget is derived from the heap. */
    public static final long HEAP_PER_CALL = 8 * 1024;

    public static final int DEFAULT_WORKER_THREADS = 64;

    /** Workers of the default pool that may wait for pipe data at once, each replaced while it waits. */
    public static final int DEFAULT_MAX_PARKED_WORKERS = 256;

    public static final Duration DEFAULT_WORKER_KEEP_ALIVE = Duration.ofSeconds(60);

    private ServerBudgets() {
    }

    /** The default server-wide budget of calls in progress for a heap of {@code maxHeapBytes}. */
    public static int maxCallsInProgress(long maxHeapBytes) {
        return (int) Math.max(1_024, Math.min(1_000_000, maxHeapBytes / HEAP_PER_CALL));
    }

    /** The default server-wide budget of calls in progress for this JVM's heap. */
    public static int maxCallsInProgress() {
        return maxCallsInProgress(Runtime.getRuntime().maxMemory());
    }

    /** The default limit of calls in progress on one connection, given the server-wide budget. */
    public static int maxConcurrentCalls(int maxCallsInProgress) {
        return Math.max(1, Math.min(10_000, maxCallsInProgress / 8));
    }

    /** The default limit of one connection's tasks on the workers at once, given the most worker threads. */
    public static int workersPerConnection(int workerThreads) {
        return Math.max(1, workerThreads / 2);
    }

    /**
     * The server's own worker pool: one thread per core started at once, more (up to
     * {@code maxThreads}) only while tasks wait; idle threads retire after {@code keepAlive}. A
     * worker whose plain implementation waits for pipe data is replaced while it waits, up to
     * {@code maxParked} such workers; one more wait beyond that fails its call
     * {@code RESOURCE_EXHAUSTED}.
     */
    public static ExecutorService workerPool(String prefix, int maxThreads, int maxParked, Duration keepAlive) {
        return new WorkerPool(prefix, WorkerPool.defaultCore(), maxThreads, maxParked, keepAlive);
    }
}
