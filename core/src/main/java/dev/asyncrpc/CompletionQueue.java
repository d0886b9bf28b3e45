package dev.asyncrpc;

import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A queue that many calls report their completion to, drained by one thread: the portable form of
 * an I/O completion port ({@code RpcNotificationTypeIoc}). Thread-safe.
 */
public final class CompletionQueue {

    private final LinkedBlockingQueue<Completion> completions = new LinkedBlockingQueue<>();

    /**
     * Take the next completion if there is one.
     * @return the completion, or {@code null} when none is ready
     */
    public Completion poll() {
        return this.completions.poll();
    }

    /**
     * Wait at most {@code timeout} for the next completion.
     * @param timeout how long to wait
     * @return the completion, or {@code null} if none arrived in time
     * @throws InterruptedException if interrupted while waiting
     */
    public Completion poll(Duration timeout) throws InterruptedException {
        return this.completions.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Wait for the next completion.
     * @return the completion
     * @throws InterruptedException if interrupted while waiting
     */
    public Completion take() throws InterruptedException {
        return this.completions.take();
    }

    /**
     * The number of completions waiting.
     * @return the count
     */
    public int size() {
        return this.completions.size();
    }

    /**
     * Post a completion, as {@code PostQueuedCompletionStatus} does for a completion port. The
     * runtime posts one for every call registered with {@link AsyncCall#notify}; applications may
     * post their own (for example, to wake the draining thread).
     * @param completion the completion
     */
    public void post(Completion completion) {
        this.completions.add(completion);
    }
}
