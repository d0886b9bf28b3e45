package dev.asyncrpc.internal.pipe;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Stage completion off the loop: on the executor, one task at a time, coalescing. */
class StageCompletionsTests {

    /** Runs tasks only when told to. */
    private static final class ManualExecutor implements Executor {
        final ArrayDeque<Runnable> tasks = new ArrayDeque<>();

        @Override
        public void execute(Runnable task) {
            this.tasks.add(task);
        }

        void runAll() {
            Runnable r;
            while ((r = this.tasks.poll()) != null) {
                r.run();
            }
        }
    }

    @Test
    void stagesCompleteOnTheExecutorAndABurstCostsOneTask() {
        StageCompletions c = new StageCompletions();
        ManualExecutor ex = new ManualExecutor();
        CompletableFuture<Void> a = new CompletableFuture<>();
        CompletableFuture<Void> b = new CompletableFuture<>();
        CompletableFuture<Void> d = new CompletableFuture<>();
        c.complete(List.of(a), ex);
        c.complete(List.of(b, d), ex);
        assertThat(a).as("not on the calling thread").isNotDone();
        assertThat(ex.tasks).hasSize(1);
        ex.runAll();
        assertThat(a).isCompleted();
        assertThat(b).isCompleted();
        assertThat(d).isCompleted();

        CompletableFuture<Void> later = new CompletableFuture<>();
        c.complete(List.of(later), ex);
        assertThat(ex.tasks).as("a new task once the last one finished").hasSize(1);
        ex.runAll();
        assertThat(later).isCompleted();
        c.complete(List.of(), ex);
        assertThat(ex.tasks).as("nothing to complete: no task").isEmpty();
    }

    @Test
    void stagesAddedWhileTheTaskRunsJoinIt() {
        StageCompletions c = new StageCompletions();
        ManualExecutor ex = new ManualExecutor();
        CompletableFuture<Void> first = new CompletableFuture<>();
        CompletableFuture<Void> second = new CompletableFuture<>();
        first.thenRun(() -> c.complete(List.of(second), ex)); // a dependent pushes again
        c.complete(List.of(first), ex);
        ex.runAll();
        assertThat(second).isCompleted();
        assertThat(ex.tasks).isEmpty();
    }

    @Test
    void aRefusingExecutorCompletesOnTheCallingThread() {
        StageCompletions c = new StageCompletions();
        CompletableFuture<Void> a = new CompletableFuture<>();
        c.complete(List.of(a), task -> {
            throw new RejectedExecutionException("shut down");
        });
        assertThat(a).isCompleted();
    }
}
