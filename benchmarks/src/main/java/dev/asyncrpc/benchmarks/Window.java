package dev.asyncrpc.benchmarks;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * The closed-loop workload: ONE issuing thread (the caller of {@link #run}) keeps up to {@code w}
 * calls outstanding on one driver. It takes a permit before each call; whichever thread completes a
 * call returns the permit, so the issuing thread issues the next one. Completions are counted, and
 * a segment's rate is the completions between two instants divided by the time between them.
 */
final class Window {

    /** What one segment measured. */
    record Segment(long calls, long nanos, long failures, long p50Nanos) {

        double callsPerSecond() {
            return this.nanos == 0 ? 0 : this.calls * 1e9 / this.nanos;
        }
    }

    private final Driver driver;
    private final byte[] payload;
    private final LongAdder completed = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final AtomicReference<Throwable> firstFailure = new AtomicReference<>();

    Window(Driver driver, byte[] payload) {
        this.driver = driver;
        this.payload = payload;
    }

    Driver driver() {
        return this.driver;
    }

    /** The first failure seen by any segment, or null. */
    Throwable firstFailure() {
        return this.firstFailure.get();
    }

    /**
     * Issue calls for {@code rampNanos + measureNanos} with up to {@code w} outstanding, count the
     * completions of the last {@code measureNanos}, then wait until every call has ended.
     * @throws IllegalStateException if calls are still outstanding 10 s after the segment
     */
    Segment run(int w, long rampNanos, long measureNanos) throws InterruptedException {
        Semaphore permits = new Semaphore(w);
        int expected = this.payload.length;
        // at W=1 one call is outstanding at a time: its latency is from its issue to its callback
        long[] latencies = (w == 1) ? new long[1 << 20] : null;
        int[] count = new int[1];
        long[] issuedAt = new long[1];
        boolean[] recording = new boolean[1];
        Driver.Callback callback = (reply, error) -> {
            if (latencies != null && recording[0] && count[0] < latencies.length) {
                latencies[count[0]++] = System.nanoTime() - issuedAt[0];
            }
            if (error == null && reply != null && reply.length == expected) {
                this.completed.increment();
            }
            else {
                this.failed.increment();
                this.firstFailure.compareAndSet(null, (error != null) ? error
                        : new IllegalStateException("bad reply: " + (reply == null ? "null" : reply.length + " bytes")));
            }
            permits.release();
        };
        long failedBefore = this.failed.sum();
        long start = System.nanoTime();
        long measureFrom = start + rampNanos;
        long end = measureFrom + measureNanos;
        long c0 = this.completed.sum();
        long t0 = start;
        boolean measuring = rampNanos <= 0;
        for (;;) {
            long now = System.nanoTime();
            if (!measuring && now - measureFrom >= 0) {
                c0 = this.completed.sum();
                t0 = now;
                measuring = true;
            }
            recording[0] = measuring;
            if (now - end >= 0) {
                break;
            }
            long wait = (measuring ? end : measureFrom) - now;
            if (permits.tryAcquire(wait, TimeUnit.NANOSECONDS)) {
                try {
                    issuedAt[0] = System.nanoTime(); // W=1: the previous call's callback has released the permit
                    this.driver.call(this.payload, callback);
                }
                catch (RuntimeException ex) {
                    callback.done(null, ex);
                }
            }
        }
        long c1 = this.completed.sum();
        long t1 = System.nanoTime();
        if (!permits.tryAcquire(w, 10, TimeUnit.SECONDS)) {
            throw new IllegalStateException(this.driver.name() + ": " + (w - permits.availablePermits())
                    + " calls still outstanding 10 s after the segment ended");
        }
        long p50 = 0;
        if (latencies != null && count[0] > 0) {
            long[] l = java.util.Arrays.copyOf(latencies, count[0]);
            java.util.Arrays.sort(l);
            p50 = l[l.length / 2];
        }
        return new Segment(c1 - c0, t1 - t0, this.failed.sum() - failedBefore, p50);
    }
}
