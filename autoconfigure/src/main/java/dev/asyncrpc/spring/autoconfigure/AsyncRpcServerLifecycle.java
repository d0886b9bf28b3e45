package dev.asyncrpc.spring.autoconfigure;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;

import dev.asyncrpc.AsyncRpcServer;
import dev.asyncrpc.spring.AsyncRpcServerCustomizer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;

/**
 * Runs the application's {@link AsyncRpcServer}: builds it from the properties, the endpoints and
 * the customizers and starts it when the context starts, closes it when the context stops. Once
 * bound, the TCP port is published as {@value #PORT_PROPERTY} and the address clients use as
 * {@value #ADDRESS_PROPERTY} (in the environment of this context and its parents).
 */
public final class AsyncRpcServerLifecycle implements SmartLifecycle {

    /** The property that holds the bound TCP port once the server is running. */
    public static final String PORT_PROPERTY = "local.asyncrpc.server.port";

    /** The property that holds the address clients use (such as 127.0.0.1:43117) once the server is running. */
    public static final String ADDRESS_PROPERTY = "local.asyncrpc.server.address";

    /** Start after most beans are ready and stop before them, like Spring Boot's web server. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 2048;

    /** The name of the non-daemon thread that keeps the JVM alive while the server runs. */
    public static final String KEEP_ALIVE_THREAD = "asyncrpc-server-keepalive";

    private static final String PROPERTY_SOURCE_NAME = "server.ports";

    private static final Log logger = LogFactory.getLog(AsyncRpcServerLifecycle.class);

    private final AsyncRpcServerProperties properties;

    private final Supplier<List<Object>> endpoints;

    private final List<AsyncRpcServerCustomizer> customizers;

    private final @Nullable ApplicationContext context;

    private volatile @Nullable AsyncRpcServer server;

    private volatile @Nullable CountDownLatch stopped;

    /**
     * Create the lifecycle; checks the settings at once.
     * @param properties the server settings
     * @param endpoints supplies the implementation objects when the server starts
     * @param customizers applied to the builder after the properties, in order
     * @param context where the bound port is published, or {@code null}
     * @throws IllegalArgumentException if a setting is invalid, naming the property
     */
    public AsyncRpcServerLifecycle(AsyncRpcServerProperties properties, Supplier<List<Object>> endpoints,
            List<AsyncRpcServerCustomizer> customizers, @Nullable ApplicationContext context) {
        this.properties = properties;
        this.endpoints = endpoints;
        this.customizers = List.copyOf(customizers);
        this.context = context;
        applyProperties(AsyncRpcServer.builder());
    }

    @Override
    public void start() {
        if (this.server != null) {
            return;
        }
        AsyncRpcServer.Builder builder = applyProperties(AsyncRpcServer.builder());
        List<Object> implementations = this.endpoints.get();
        implementations.forEach(builder::service);
        this.customizers.forEach((customizer) -> customizer.customize(builder));
        AsyncRpcServer started = builder.build().start();
        this.server = started;
        keepAlive();
        logger.info("asyncrpc server listening on " + started.address() + " serving " + started.services());
        publish(started);
    }

    @Override
    public void stop() {
        AsyncRpcServer running = this.server;
        if (running != null) {
            this.server = null;
            running.close();
        }
        CountDownLatch latch = this.stopped;
        if (latch != null) {
            this.stopped = null;
            latch.countDown();
        }
    }

    @Override
    public boolean isRunning() {
        return this.server != null;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /**
     * The running server.
     * @return the server, or {@code null} when it is not running
     */
    public @Nullable AsyncRpcServer getServer() {
        return this.server;
    }

    private void keepAlive() {
        CountDownLatch latch = new CountDownLatch(1);
        this.stopped = latch;
        Thread thread = new Thread(() -> {
            try {
                latch.await();
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }, KEEP_ALIVE_THREAD);
        thread.setDaemon(false);
        thread.start();
    }

    private AsyncRpcServer.Builder applyProperties(AsyncRpcServer.Builder builder) {
        AsyncRpcServerProperties p = this.properties;
        builder.port(p.getPort());
        String address = p.getAddress();
        if (address != null && !address.isBlank()) {
            String a = address.trim();
            try {
                if (a.startsWith("unix:") || a.startsWith("local:")) {
                    builder.address(a);
                }
                else {
                    builder.host(a);
                }
            }
            catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("Invalid asyncrpc.server.address: " + ex.getMessage(), ex);
            }
        }
        builder.maxFrameSize((int) p.getMaxFrameSize().toBytes());
        builder.maxConcurrentCalls(p.getMaxConcurrentCalls());
        builder.workerThreads(p.getWorkerThreads());
        builder.ioThreads(p.getIoThreads());
        return builder;
    }

    private void publish(AsyncRpcServer started) {
        Map<String, Object> values = new HashMap<>();
        if (started.port() >= 0) {
            values.put(PORT_PROPERTY, started.port());
        }
        values.put(ADDRESS_PROPERTY, started.address());
        for (ApplicationContext c = this.context; c != null; c = c.getParent()) {
            if (c instanceof ConfigurableApplicationContext configurable) {
                publish(configurable.getEnvironment(), values);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static void publish(ConfigurableEnvironment environment, Map<String, Object> values) {
        MutablePropertySources sources = environment.getPropertySources();
        PropertySource<?> source = sources.get(PROPERTY_SOURCE_NAME);
        if (source == null) {
            source = new MapPropertySource(PROPERTY_SOURCE_NAME, new HashMap<>());
            sources.addFirst(source);
        }
        ((Map<String, Object>) source.getSource()).putAll(values);
    }
}
