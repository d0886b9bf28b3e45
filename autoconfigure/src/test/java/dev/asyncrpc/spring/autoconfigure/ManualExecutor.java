package dev.asyncrpc.spring.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.springframework.core.task.support.ExecutorServiceAdapter;

/** An executor whose tasks wait until the test runs them: it sees what a server dispatches, and when. */
final class ManualExecutor {

    private final BlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();

    /** The executor to give a server (the server never shuts down an executor it was given). */
    ExecutorService executorService() {
        return new ExecutorServiceAdapter(this.tasks::add);
    }

    /**
     * Wait until {@code count} tasks are queued, and take them, without running them.
     * @throws AssertionError if they do not come within {@code timeout}
     */
    List<Runnable> take(int count, Duration timeout) throws InterruptedException {
        List<Runnable> taken = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (taken.size() < count) {
            Runnable task = this.tasks.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (task == null) {
                throw new AssertionError("only " + taken.size() + " of " + count + " tasks were submitted within " + timeout);
            }
            taken.add(task);
        }
        return taken;
    }

    /**
     * Run tasks as they come until {@code done} holds.
     * @throws AssertionError if it does not hold within {@code timeout}
     */
    void runUntil(BooleanSupplier done, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("not done after " + timeout);
            }
            Runnable task = this.tasks.poll(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)), TimeUnit.NANOSECONDS);
            if (task != null) {
                task.run();
            }
        }
    }
}
