package dev.asyncrpc.spring.autoconfigure;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;

import javax.net.ssl.SSLContext;

import dev.asyncrpc.AsyncRpcServer;
import dev.asyncrpc.Status;
import dev.asyncrpc.spring.AsyncRpcServerCustomizer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;

/**
 * Runs the application's {@link AsyncRpcServer}: builds it from the properties, the endpoints and
 * the customizers and starts it when the context starts. Once bound, the TCP port is published as
 * {@value #PORT_PROPERTY} and the address clients use as {@value #ADDRESS_PROPERTY} (in the
 * environment of this context and its parents).
 *
 * <p>When the context stops or closes, the server drains: first readiness goes down (an
 * {@link AvailabilityChangeEvent} with {@link ReadinessState#REFUSING_TRAFFIC}, unless the
 * application is refusing traffic already), then the server stops listening, sends go-away to its
 * clients (calls they send afterwards are refused with {@link Status#NOT_DISPATCHED}, safe to send
 * elsewhere), lets calls in progress finish within {@code asyncrpc.server.shutdown.grace-period}
 * and closes. The drain runs on its own thread ({@link #stop(Runnable)}), so it overlaps with the
 * graceful shutdown of other lifecycles of the same phase, such as a web server's.
 *
 * <p>If the server ever becomes {@link AsyncRpcServer.State#FAILED FAILED} it cannot serve again, so
 * liveness goes {@link LivenessState#BROKEN} (an {@link AvailabilityChangeEvent}) and a platform
 * that probes {@code /actuator/health/liveness} restarts the process.
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

    /** The name of the thread that drains the server when it stops. */
    public static final String DRAIN_THREAD = "asyncrpc-server-drain";

    /** Spring Boot's default of {@code spring.lifecycle.timeout-per-shutdown-phase}. */
    private static final Duration DEFAULT_SHUTDOWN_PHASE_TIMEOUT = Duration.ofSeconds(30);

    private static final String PROPERTY_SOURCE_NAME = "server.ports";

    private static final Log logger = LogFactory.getLog(AsyncRpcServerLifecycle.class);

    private final AsyncRpcServerProperties properties;

    private final Supplier<List<Object>> endpoints;

    private final List<AsyncRpcServerCustomizer> customizers;

    private final @Nullable ApplicationContext context;

    private final @Nullable SSLContext sslContext;

    private volatile @Nullable AsyncRpcServer server;

    private volatile @Nullable CountDownLatch stopped;

    /** Completes when the drain in progress has ended; {@code null} when none is. */
    private @Nullable CompletableFuture<Void> draining;

    /** Whether this lifecycle published REFUSING_TRAFFIC, to be undone by a restart. */
    private boolean refusedTraffic;

    /**
     * Create the lifecycle of a plaintext server; checks the settings at once.
     * @param properties the server settings
     * @param endpoints supplies the implementation objects when the server starts
     * @param customizers applied to the builder after the properties, in order
     * @param context where the bound port is published and readiness events go, or {@code null}
     * @throws IllegalArgumentException if a setting is invalid, naming the property
     */
    public AsyncRpcServerLifecycle(AsyncRpcServerProperties properties, Supplier<List<Object>> endpoints,
            List<AsyncRpcServerCustomizer> customizers, @Nullable ApplicationContext context) {
        this(properties, endpoints, customizers, context, null);
    }

    /**
     * Create the lifecycle; checks the settings at once and loads the SSL bundle, if one is named.
     * @param properties the server settings
     * @param endpoints supplies the implementation objects when the server starts
     * @param customizers applied to the builder after the properties, in order
     * @param context where the bound port is published and readiness events go, or {@code null}
     * @param sslBundles where {@code asyncrpc.server.ssl.bundle} is looked up, or {@code null}
     * @throws IllegalArgumentException if a setting is invalid, naming the property
     * @throws InvalidConfigurationPropertyValueException if the SSL settings are invalid (such as a
     *         bundle that does not exist)
     */
    public AsyncRpcServerLifecycle(AsyncRpcServerProperties properties, Supplier<List<Object>> endpoints,
            List<AsyncRpcServerCustomizer> customizers, @Nullable ApplicationContext context, @Nullable SslBundles sslBundles) {
        this.properties = properties;
        this.endpoints = endpoints;
        this.customizers = List.copyOf(customizers);
        this.context = context;
        applyProperties(AsyncRpcServer.builder());
        this.sslContext = sslContext(properties.getSsl(), new SslBundleLookup(sslBundles));
        warnIfTheGracePeriodOutlastsTheShutdownPhase();
    }

    @Override
    public void start() {
        CompletableFuture<Void> previous;
        synchronized (this) {
            previous = this.draining;
        }
        if (previous != null) {
            previous.join(); // restarted while draining: the old listener must be closed first
        }
        if (this.server != null) {
            return;
        }
        AsyncRpcServer.Builder builder = applyProperties(AsyncRpcServer.builder());
        AsyncRpcServerProperties.Ssl ssl = this.properties.getSsl();
        if (this.sslContext != null) {
            builder.tls(this.sslContext, ssl.getClientAuth());
        }
        List<Object> implementations = this.endpoints.get();
        implementations.forEach(builder::service);
        this.customizers.forEach((customizer) -> customizer.customize(builder));
        AsyncRpcServer started = builder.build().start();
        this.server = started;
        started.onFailure(this::markBroken);
        keepAlive();
        logger.info("asyncrpc server listening on " + started.boundAddress()
                + ((this.sslContext != null) ? " (TLS with SSL bundle '" + ssl.getBundle() + "', client-auth " + ssl.getClientAuth().name().toLowerCase() + ")" : "")
                + " serving " + started.services() + ", transport " + started.transport().name().toLowerCase());
        publish(started);
        acceptTrafficAgain();
    }

    /**
     * Drain the server and wait until it has closed (at most the grace period, and the time it
     * takes to close).
     */
    @Override
    public void stop() {
        drain().join();
    }

    /**
     * Drain the server on another thread: readiness goes down (in the calling thread, before this
     * method returns), then go-away, the grace period for calls in progress, and close;
     * {@code callback} runs when the server has closed.
     * @param callback tells Spring's lifecycle processor that the server has stopped
     */
    @Override
    public void stop(Runnable callback) {
        drain().whenComplete((ignored, failure) -> callback.run());
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

    private synchronized CompletableFuture<Void> drain() {
        CompletableFuture<Void> inProgress = this.draining;
        if (inProgress != null) {
            return inProgress;
        }
        AsyncRpcServer running = this.server;
        if (running == null) {
            return CompletableFuture.completedFuture(null);
        }
        refuseTraffic();
        CompletableFuture<Void> done = new CompletableFuture<>();
        this.draining = done;
        Duration grace = this.properties.getShutdown().getGracePeriod();
        Thread thread = new Thread(() -> {
            Throwable failure = null;
            try {
                drain(running, grace);
            }
            catch (Throwable ex) {
                failure = ex;
                logger.error("asyncrpc server failed to drain", ex);
                running.close();
            }
            finally {
                synchronized (this) {
                    this.server = null;
                    this.draining = null;
                }
                releaseKeepAlive();
            }
            if (failure == null) {
                done.complete(null);
            }
            else {
                done.completeExceptionally(failure);
            }
        }, DRAIN_THREAD);
        thread.setDaemon(false);
        thread.start();
        return done;
    }

    private static void drain(AsyncRpcServer running, Duration grace) {
        long start = System.nanoTime();
        int active = running.activeCalls();
        logger.info("asyncrpc server " + running.address() + " draining: " + active + " calls in progress on " + running.connections()
                + " connections, grace period " + grace);
        int unfinished = running.shutdown(grace);
        long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
        if (unfinished > 0) {
            logger.warn("asyncrpc server " + running.address() + " closed after its grace period of " + grace + " with " + unfinished
                    + " calls unfinished (their callers get UNAVAILABLE)");
        }
        else {
            logger.info("asyncrpc server " + running.address() + " drained and closed in " + millis + " ms");
        }
    }

    /** Readiness goes down before the drain, unless the application is refusing traffic already. */
    private void refuseTraffic() {
        ApplicationContext c = this.context;
        if (c == null) {
            return;
        }
        ApplicationAvailability availability = c.getBeanProvider(ApplicationAvailability.class).getIfAvailable();
        if (availability != null && availability.getState(ReadinessState.class) == ReadinessState.REFUSING_TRAFFIC) {
            return;
        }
        AvailabilityChangeEvent.publish(c, this, ReadinessState.REFUSING_TRAFFIC);
        this.refusedTraffic = true;
    }

    /**
     * The server FAILED (an {@link Error} on an event loop, a dead loop or listener): it will never
     * accept again, so liveness goes {@link LivenessState#BROKEN} and the platform restarts the
     * process (Kubernetes' liveness probe on {@code /actuator/health/liveness}). Runs on the thread
     * that recorded the failure, possibly an event loop: publishing the event is short.
     */
    private void markBroken(Throwable failure) {
        ApplicationContext c = this.context;
        if (c != null) {
            logger.error("asyncrpc server FAILED (" + failure + "): liveness is now BROKEN so that the process is restarted");
            AvailabilityChangeEvent.publish(c, this, LivenessState.BROKEN);
        }
    }

    /** After a restart, undo what {@link #refuseTraffic()} did. */
    private synchronized void acceptTrafficAgain() {
        ApplicationContext c = this.context;
        if (c != null && this.refusedTraffic) {
            this.refusedTraffic = false;
            AvailabilityChangeEvent.publish(c, this, ReadinessState.ACCEPTING_TRAFFIC);
        }
    }

    private void releaseKeepAlive() {
        CountDownLatch latch = this.stopped;
        if (latch != null) {
            this.stopped = null;
            latch.countDown();
        }
    }

    private static @Nullable SSLContext sslContext(AsyncRpcServerProperties.Ssl ssl, SslBundleLookup lookup) {
        String bundle = ssl.getBundle();
        if (bundle == null || bundle.isBlank()) {
            if (ssl.getClientAuth() != AsyncRpcServer.ClientAuth.NONE) {
                throw new InvalidConfigurationPropertyValueException("asyncrpc.server.ssl.client-auth", ssl.getClientAuth().name().toLowerCase(),
                        "Client certificates need TLS: set asyncrpc.server.ssl.bundle too.");
            }
            return null;
        }
        return lookup.sslContext("asyncrpc.server.ssl.bundle", bundle.trim());
    }

    /**
     * Spring waits for each shutdown phase at most {@code spring.lifecycle.timeout-per-shutdown-phase};
     * a longer grace period would be cut short.
     */
    private void warnIfTheGracePeriodOutlastsTheShutdownPhase() {
        if (!(this.context instanceof ConfigurableApplicationContext configurable)) {
            return;
        }
        Duration phase = Binder.get(configurable.getEnvironment())
            .bind("spring.lifecycle.timeout-per-shutdown-phase", Duration.class)
            .orElse(DEFAULT_SHUTDOWN_PHASE_TIMEOUT);
        Duration grace = this.properties.getShutdown().getGracePeriod();
        if (grace.compareTo(phase) > 0) {
            logger.warn("asyncrpc.server.shutdown.grace-period (" + grace + ") is longer than spring.lifecycle.timeout-per-shutdown-phase ("
                    + phase + "): the context stops waiting for the drain after " + phase);
        }
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
        builder.pipeWindow((int) p.getPipeWindow().toBytes());
        if (p.getMaxConcurrentCalls() != null) {
            builder.maxConcurrentCalls(p.getMaxConcurrentCalls());
        }
        if (p.getMaxCallsInProgress() != null) {
            builder.maxCallsInProgress(p.getMaxCallsInProgress());
        }
        if (p.getMaxWorkersPerConnection() != null) {
            builder.maxWorkersPerConnection(p.getMaxWorkersPerConnection());
        }
        builder.workerThreads(p.getWorkerThreads());
        builder.maxParkedWorkers(p.getMaxParkedWorkers());
        builder.workerKeepAlive(p.getWorkerKeepAlive());
        builder.inlineDispatchLimit(p.getInlineDispatchLimit());
        builder.ioThreads(p.getIoThreads());
        builder.maxConnections(p.getMaxConnections());
        if (p.getMemoryBudget() != null) {
            builder.memoryBudget(p.getMemoryBudget().toBytes());
        }
        builder.handshakeTimeout(p.getHandshakeTimeout());
        builder.frameReadTimeout(p.getFrameReadTimeout());
        builder.idleTimeout(p.getIdleTimeout());
        int[] marks = p.getWriteBuffer().marks();
        builder.writeBufferWaterMarks(marks[0], marks[1]);
        builder.writeStallTimeout(p.getWriteBuffer().getStallTimeout());
        builder.keepAlive(p.getKeepalive().getInterval(), p.getKeepalive().getTimeout());
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
