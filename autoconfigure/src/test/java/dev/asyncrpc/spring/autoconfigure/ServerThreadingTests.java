package dev.asyncrpc.spring.autoconfigure;

import dev.asyncrpc.AsyncRpcClient;
import dev.asyncrpc.spring.RemoteEndpoint;
import dev.asyncrpc.spring.autoconfigure.scan.Echo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

import org.springframework.boot.autoconfigure.AutoConfigurations;
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
