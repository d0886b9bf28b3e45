package dev.asyncrpc.spring.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

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

    /** Run what is queued, and what that submits, until nothing is left. */
    void runAll() {
        Runnable task;
        while ((task = this.tasks.poll()) != null) {
            task.run();
        }
    }
}
