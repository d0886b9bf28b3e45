package dev.asyncrpc.internal;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A server-wide budget for the bytes the server holds on behalf of its peers: incomplete frames
 * being accumulated, call arguments read but not yet decoded, buffered pipe data. Whoever holds
 * such bytes reserves them first and releases them when it lets go; a reservation that does not fit
 * is refused (the holder then refuses the call with RESOURCE_EXHAUSTED or stops reading from the
 * connection) instead of letting memory run out. Lock-free; any thread.
 */
public final class MemoryBudget {

    /** The smallest default budget. */
    public static final long MIN_DEFAULT = 8L * 1024 * 1024;

    private final long limit;
    private final AtomicLong used = new AtomicLong();
    private final LongAdder refusals = new LongAdder();

    /**
     * @param limit the most bytes reserved at once, {@code > 0}
     */
    public MemoryBudget(long limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("memoryBudget: " + limit + " (expected: > 0)");
        }
        this.limit = limit;
    }

    /**
     * The default limit: a quarter of the smaller of the maximum heap and the maximum direct memory
     * (Netty's), at least {@link #MIN_DEFAULT}.
     * @return the limit in bytes
     */
    public static long defaultLimit() {
        long heap = Runtime.getRuntime().maxMemory();
        long direct = io.netty.util.internal.PlatformDependent.maxDirectMemory();
        long base = (heap == Long.MAX_VALUE) ? direct : (direct > 0 ? Math.min(heap, direct) : heap);
        return Math.max(MIN_DEFAULT, base / 4);
    }

    /**
     * Reserve {@code bytes} if they fit.
     * @param bytes the bytes to reserve, {@code >= 0}
     * @return whether they were reserved (then {@link #release} them later)
     */
    public boolean tryReserve(long bytes) {
        return tryReserve(bytes, 0);
    }

    /**
     * Reserve {@code bytes} if they fit and leave at least {@code keepFree} bytes of the budget
     * unreserved (so that one kind of holder cannot take everything from the others).
     * @param bytes the bytes to reserve, {@code >= 0}
     * @param keepFree the bytes that must stay free after this reservation
     * @return whether they were reserved
     */
    public boolean tryReserve(long bytes, long keepFree) {
        long ceiling = this.limit - keepFree;
        while (true) {
            long now = this.used.get();
            long next = now + bytes;
            if (next > ceiling && bytes > 0) {
                this.refusals.increment();
                return false;
            }
            if (this.used.compareAndSet(now, next)) {
                return true;
            }
        }
    }

    /**
     * Charge {@code bytes} already held that cannot be refused (pipe data the window allowed the
     * peer to send): one atomic add, which may take the budget over its limit. Release them later.
     */
    public void charge(long bytes) {
        this.used.addAndGet(bytes);
    }

    /** Whether the bytes reserved have reached the limit. */
    public boolean isExhausted() {
        return this.used.get() >= this.limit;
    }

    /** Give back bytes reserved earlier. */
    public void release(long bytes) {
        if (bytes != 0) {
            this.used.addAndGet(-bytes);
        }
    }

    /** Bytes reserved now. */
    public long used() {
        return this.used.get();
    }

    /** The limit in bytes. */
    public long limit() {
        return this.limit;
    }

    /** Reservations refused so far. */
    public long refusals() {
        return this.refusals.sum();
    }
}
