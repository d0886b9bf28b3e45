package dev.asyncrpc.spring.autoconfigure;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;

import dev.asyncrpc.AsyncRpcServer;
import dev.asyncrpc.spring.AsyncRpcServerCustomizer;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.core.task.TaskExecutor;
import org.springframework.core.task.support.ExecutorServiceAdapter;

/**
 * Runs plain implementations on Spring Boot's {@code applicationTaskExecutor} (configured with
 * {@code spring.task.execution.*}) when {@code asyncrpc.server.executor=application}. The
 * application owns that executor: the server neither shuts it down nor waits for it.
 */
final class ApplicationExecutorServerCustomizer implements AsyncRpcServerCustomizer {

    private final ExecutorService executor;

    ApplicationExecutorServerCustomizer(BeanFactory beanFactory) {
        String name = TaskExecutionAutoConfiguration.APPLICATION_TASK_EXECUTOR_BEAN_NAME;
        if (!beanFactory.containsBean(name)) {
            throw new InvalidConfigurationPropertyValueException("asyncrpc.server.executor", "application", "There is no '" + name
                    + "' bean: Spring Boot makes one unless the application defines its own Executor bean; name yours '" + name
                    + "', or choose another executor.");
        }
        this.executor = adapt(beanFactory.getBean(name, Executor.class));
    }

    private static ExecutorService adapt(Executor executor) {
        if (executor instanceof ExecutorService service) {
            return service;
        }
        // the adapter refuses shutdown; the server never shuts down an executor it was given
        return new ExecutorServiceAdapter((executor instanceof TaskExecutor task) ? task : executor::execute);
    }

    @Override
    public void customize(AsyncRpcServer.Builder builder) {
        builder.executor(this.executor);
    }
}
