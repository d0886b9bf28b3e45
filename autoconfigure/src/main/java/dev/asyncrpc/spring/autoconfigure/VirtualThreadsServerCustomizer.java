package dev.asyncrpc.spring.autoconfigure;

import java.lang.reflect.InvocationTargetException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.asyncrpc.AsyncRpcServer;
import dev.asyncrpc.spring.AsyncRpcServerCustomizer;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Runs plain implementations on virtual threads (one per call) instead of the worker pool, when
 * {@code asyncrpc.server.executor=virtual}, or {@code auto} with
 * {@code spring.threads.virtual.enabled=true} on Java 21 or later. Owns the executor and shuts it
 * down with the context, after the server has closed.
 */
final class VirtualThreadsServerCustomizer implements AsyncRpcServerCustomizer, DisposableBean {

    private @Nullable ExecutorService executor;

    VirtualThreadsServerCustomizer() {
        if (Runtime.version().feature() < 21) {
            throw new InvalidConfigurationPropertyValueException("asyncrpc.server.executor", "virtual",
                    "Virtual threads need Java 21 or later; this is Java " + Runtime.version().feature() + ".");
        }
    }

    @Override
    public synchronized void customize(AsyncRpcServer.Builder builder) {
        if (this.executor == null) {
            this.executor = newVirtualThreadPerTaskExecutor();
        }
        builder.executor(this.executor);
    }

    @Override
    public synchronized void destroy() {
        if (this.executor != null) {
            this.executor.shutdown();
            this.executor = null;
        }
    }

    private static ExecutorService newVirtualThreadPerTaskExecutor() {
        try {
            // Java 21 API; this class is used only when Spring Boot found virtual threads active
            return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        }
        catch (NoSuchMethodException | IllegalAccessException ex) {
            throw new IllegalStateException("spring.threads.virtual.enabled=true but this Java runtime has no virtual threads", ex);
        }
        catch (InvocationTargetException ex) {
            throw new IllegalStateException("Cannot make a virtual thread executor", ex.getCause());
        }
    }
}
