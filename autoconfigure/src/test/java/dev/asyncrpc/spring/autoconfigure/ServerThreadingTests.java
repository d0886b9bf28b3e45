package dev.asyncrpc.spring.autoconfigure;

import dev.asyncrpc.AsyncRpcClient;
import dev.asyncrpc.spring.RemoteEndpoint;
import dev.asyncrpc.spring.autoconfigure.scan.Echo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/** Which threads run plain implementations: the worker pool, or virtual threads on request. */
class ServerThreadingTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AsyncRpcServerAutoConfiguration.class))
        .withBean(ThreadEndpoint.class)
        .withPropertyValues("asyncrpc.server.port=0", "asyncrpc.server.address=127.0.0.1");

    @Test
    void plainImplementationsRunOnTheWorkerPoolByDefault() {
        this.runner.run((context) -> {
            assertThat(context).doesNotHaveBean(VirtualThreadsServerCustomizer.class);
            assertThat(callingThread(context.getBean(AsyncRpcServerLifecycle.class))).contains("asyncrpc-worker");
        });
    }

    @Test
    @EnabledForJreRange(min = JRE.JAVA_21)
    void plainImplementationsRunOnVirtualThreadsWhenEnabled() {
        this.runner.withPropertyValues("spring.threads.virtual.enabled=true").run((context) -> {
            assertThat(context).hasSingleBean(VirtualThreadsServerCustomizer.class);
            assertThat(callingThread(context.getBean(AsyncRpcServerLifecycle.class))).startsWith("VirtualThread");
        });
    }

    @Test
    @EnabledForJreRange(max = JRE.JAVA_20)
    void askingForVirtualThreadsBeforeJava21KeepsTheWorkerPool() {
        this.runner.withPropertyValues("spring.threads.virtual.enabled=true").run((context) -> {
            assertThat(context).doesNotHaveBean(VirtualThreadsServerCustomizer.class);
            assertThat(callingThread(context.getBean(AsyncRpcServerLifecycle.class))).contains("asyncrpc-worker");
        });
    }

    @Test
    @EnabledForJreRange(min = JRE.JAVA_21)
    void executorWorkersKeepsThePoolWhenVirtualThreadsAreEnabled() {
        this.runner.withPropertyValues("spring.threads.virtual.enabled=true", "asyncrpc.server.executor=workers").run((context) -> {
            assertThat(context).doesNotHaveBean(VirtualThreadsServerCustomizer.class);
            assertThat(callingThread(context.getBean(AsyncRpcServerLifecycle.class))).contains("asyncrpc-worker");
        });
    }

    @Test
    @EnabledForJreRange(min = JRE.JAVA_21)
    void executorVirtualRunsOnVirtualThreadsWithoutSpringsSwitch() {
        this.runner.withPropertyValues("asyncrpc.server.executor=virtual").run((context) -> {
            assertThat(context).hasSingleBean(VirtualThreadsServerCustomizer.class);
            assertThat(callingThread(context.getBean(AsyncRpcServerLifecycle.class))).startsWith("VirtualThread");
        });
    }

    @Test
    @EnabledForJreRange(max = JRE.JAVA_20)
    void executorVirtualBeforeJava21FailsNamingTheProperty() {
        this.runner.withPropertyValues("asyncrpc.server.executor=virtual").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(Failures.messages(context.getStartupFailure())).contains("asyncrpc.server.executor", "virtual",
                    "Virtual threads need Java 21 or later");
        });
    }

    @Test
    void executorApplicationRunsOnSpringBootsTaskExecutor() {
        this.runner.withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class))
            .withPropertyValues("asyncrpc.server.executor=application", "spring.task.execution.thread-name-prefix=app-task-")
            .run((context) -> {
                assertThat(context).hasSingleBean(ApplicationExecutorServerCustomizer.class);
                assertThat(callingThread(context.getBean(AsyncRpcServerLifecycle.class))).contains("app-task-");
            });
    }

    @Test
    void executorApplicationWithoutTheBeanFailsNamingTheProperty() {
        this.runner.withPropertyValues("asyncrpc.server.executor=application").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(Failures.messages(context.getStartupFailure())).contains("asyncrpc.server.executor", "applicationTaskExecutor");
        });
    }

    private static String callingThread(AsyncRpcServerLifecycle lifecycle) {
        try (AsyncRpcClient client = AsyncRpcClient.builder().address("127.0.0.1:" + lifecycle.getServer().port()).build()) {
            return client.proxy(Echo.class).echo("which thread?");
        }
    }

    /** Answers with the thread that ran it. */
    @RemoteEndpoint
    public static class ThreadEndpoint implements Echo {

        @Override
        public String echo(String text) {
            return Thread.currentThread().toString();
        }
    }
}
