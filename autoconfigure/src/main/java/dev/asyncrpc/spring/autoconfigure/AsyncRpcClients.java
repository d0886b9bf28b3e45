package dev.asyncrpc.spring.autoconfigure;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.net.ssl.SSLContext;

import dev.asyncrpc.AsyncRpcClient;
import dev.asyncrpc.AsyncRpcResources;
import dev.asyncrpc.RemoteService;
import dev.asyncrpc.spring.AsyncRpcClientCustomizer;
import dev.asyncrpc.spring.AsyncRpcConnectionDetails;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.PropertyResolver;

/**
 * The clients of the application's remote services: one {@link AsyncRpcClient} per service name
 * (one connection per endpoint: an address may list several, or name a host re-resolved every
 * {@code refresh-interval}), shared by every interface of that service, closed with the context.
 *
 * <p>{@link #proxy(Class)} checks at once that the service has an address. When the address can
 * be resolved already the client is made at once, which also checks the address and the
 * interface. An address that refers to a property not known yet (such as
 * {@code 127.0.0.1:${local.asyncrpc.server.port}}, published when this application's own server
 * has started) is resolved when the context starts, or at the first call if that comes earlier.
 */
public final class AsyncRpcClients implements SmartLifecycle, DisposableBean {

    /** Start after the server ({@link AsyncRpcServerLifecycle#PHASE}), so its address is known. */
    public static final int PHASE = AsyncRpcServerLifecycle.PHASE + 1;

    private static final Log logger = LogFactory.getLog(AsyncRpcClients.class);

    private final AsyncRpcClientProperties properties;

    private final List<AsyncRpcConnectionDetails> connectionDetails;

    private final List<AsyncRpcClientCustomizer> customizers;

    private final PropertyResolver resolver;

    private final SslBundleLookup sslBundles;

    private final @Nullable AsyncRpcResources resources;

    private final Map<String, AsyncRpcClient> clients = new ConcurrentHashMap<>();

    private final List<Deferred<?>> deferred = new CopyOnWriteArrayList<>();

    private volatile boolean running;

    private volatile boolean closed;

    /**
     * Create the clients' registry, without TLS; no client is made yet.
     * @param properties the client settings
     * @param connectionDetails asked in order for each service's address before the properties
     * @param customizers applied to each client builder after the properties, in order
     * @param resolver resolves placeholders in addresses (the environment)
     */
    public AsyncRpcClients(AsyncRpcClientProperties properties, List<AsyncRpcConnectionDetails> connectionDetails,
            List<AsyncRpcClientCustomizer> customizers, PropertyResolver resolver) {
        this(properties, connectionDetails, customizers, resolver, null);
    }

    /**
     * Create the clients' registry; no client is made yet, but every SSL bundle the properties name
     * is checked at once.
     * @param properties the client settings
     * @param connectionDetails asked in order for each service's address before the properties
     * @param customizers applied to each client builder after the properties, in order
     * @param resolver resolves placeholders in addresses (the environment)
     * @param sslBundles where the {@code ssl.bundle} properties are looked up, or {@code null}
     * @throws InvalidConfigurationPropertyValueException if an SSL setting is invalid (such as a
     *         bundle that does not exist), naming the property
     */
    public AsyncRpcClients(AsyncRpcClientProperties properties, List<AsyncRpcConnectionDetails> connectionDetails,
            List<AsyncRpcClientCustomizer> customizers, PropertyResolver resolver, @Nullable SslBundles sslBundles) {
        this(properties, connectionDetails, customizers, resolver, sslBundles, null);
    }

    /**
     * Create the clients' registry; no client is made yet, but every SSL bundle the properties name
     * is checked at once.
     * @param properties the client settings
     * @param connectionDetails asked in order for each service's address before the properties
     * @param customizers applied to each client builder after the properties, in order
     * @param resolver resolves placeholders in addresses (the environment)
     * @param sslBundles where the {@code ssl.bundle} properties are looked up, or {@code null}
     * @param resources the threads every client borrows (not closed here: their owner closes them
     *        after the clients), or {@code null} for each client to make its own
     * @throws InvalidConfigurationPropertyValueException if an SSL setting is invalid (such as a
     *         bundle that does not exist), naming the property
     */
    public AsyncRpcClients(AsyncRpcClientProperties properties, List<AsyncRpcConnectionDetails> connectionDetails,
            List<AsyncRpcClientCustomizer> customizers, PropertyResolver resolver, @Nullable SslBundles sslBundles,
            @Nullable AsyncRpcResources resources) {
        this.resources = resources;
        this.properties = properties;
        this.connectionDetails = List.copyOf(connectionDetails);
        this.customizers = List.copyOf(customizers);
        this.resolver = resolver;
        this.sslBundles = new SslBundleLookup(sslBundles);
        checkSslBundles();
    }

    /**
     * A client-side implementation of a {@code @RemoteService} interface, calling the address of
     * its service.
     * @param <T> the interface type
     * @param type the interface
     * @return the proxy
     * @throws IllegalStateException if the service has no address (naming the property to set),
     *         or its address or the interface is invalid
     */
    public <T> T proxy(Class<T> type) {
        String service = serviceName(type);
        String address = rawAddress(service, type);
        if (isResolvable(address)) {
            return checkedProxy(client(service), type, service);
        }
        Deferred<T> later = new Deferred<>(type, service);
        this.deferred.add(later);
        logger.debug("The client of remote service '" + service + "' waits for its address '" + address + "' to be resolvable");
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] { type }, later));
    }

    /**
     * The client of a remote service, made on first use.
     * @param service the service name
     * @return the client
     * @throws IllegalStateException if the service has no usable address, naming the property to set
     */
    public AsyncRpcClient client(String service) {
        if (this.closed) {
            throw new IllegalStateException("The asyncrpc clients are closed: the application context is shutting down");
        }
        return this.clients.computeIfAbsent(service, this::createClient);
    }

    /**
     * The threads the clients borrow.
     * @return the shared resources, or {@code null} if each client has its own
     */
    public @Nullable AsyncRpcResources resources() {
        return this.resources;
    }

    /**
     * The clients made so far, by service name: a read-only snapshot for metrics, health and the
     * Actuator endpoint.
     * @return the clients
     */
    public Map<String, AsyncRpcClient> clients() {
        return Map.copyOf(this.clients);
    }

    @Override
    public void start() {
        // the application's own server (if any) is running now: resolve what waited for it
        for (Deferred<?> d : this.deferred) {
            d.target();
        }
        this.running = true;
    }

    @Override
    public void stop() {
        this.running = false;
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /** Close every client: calls still pending fail with UNAVAILABLE. The shared resources stay open for their owner. */
    @Override
    public void destroy() {
        this.closed = true;
        List<AsyncRpcClient> open = new ArrayList<>(this.clients.values());
        this.clients.clear();
        open.forEach(AsyncRpcClient::close);
    }

    static String serviceName(Class<?> type) {
        RemoteService annotation = type.getAnnotation(RemoteService.class);
        if (!type.isInterface() || annotation == null) {
            throw new IllegalStateException(type.getName() + " is not an interface annotated @RemoteService, so no asyncrpc client can be made for it");
        }
        return annotation.value();
    }

    static String addressProperty(String service) {
        return "asyncrpc.client.services." + service + ".address";
    }

    private String rawAddress(String service, @Nullable Class<?> type) {
        for (AsyncRpcConnectionDetails details : this.connectionDetails) {
            String address = details.getAddress(service);
            if (address != null) {
                return address;
            }
        }
        AsyncRpcClientProperties.Service settings = this.properties.getServices().get(service);
        String address = (settings != null) ? settings.getAddress() : null;
        if (address == null || address.isBlank()) {
            throw new MissingAddressException(service, (type != null) ? type.getName() : null);
        }
        return address;
    }

    private boolean isResolvable(String address) {
        try {
            this.resolver.resolveRequiredPlaceholders(address);
            return true;
        }
        catch (IllegalArgumentException ex) {
            return false;
        }
    }

    private AsyncRpcClient createClient(String service) {
        String raw = rawAddress(service, null);
        String address;
        try {
            address = this.resolver.resolveRequiredPlaceholders(raw).trim();
        }
        catch (IllegalArgumentException ex) {
            throw new IllegalStateException("The address of remote service '" + service + "' ('" + raw + "', " + addressProperty(service)
                    + ") cannot be resolved: " + ex.getMessage(), ex);
        }
        AsyncRpcClientProperties.Defaults defaults = this.properties.getDefaults();
        AsyncRpcClientProperties.Service settings = this.properties.getServices().get(service);
        if (settings == null) {
            settings = new AsyncRpcClientProperties.Service();
        }
        AsyncRpcClient.Builder builder = AsyncRpcClient.builder();
        try {
            builder.address(address);
        }
        catch (IllegalArgumentException ex) {
            throw new IllegalStateException("Invalid address for remote service '" + service + "' (" + addressProperty(service) + "): "
                    + ex.getMessage(), ex);
        }
        if (settings.getRefreshInterval() != null) {
            builder.refreshInterval(settings.getRefreshInterval());
        }
        builder.connectTimeout(orDefault(settings.getConnectTimeout(), defaults.getConnectTimeout()));
        builder.handshakeTimeout(orDefault(settings.getHandshakeTimeout(), defaults.getHandshakeTimeout()));
        builder.maxFrameSize((int) orDefault(settings.getMaxFrameSize(), defaults.getMaxFrameSize()).toBytes());
        builder.pipeWindow((int) orDefault(settings.getPipeWindow(), defaults.getPipeWindow()).toBytes());
        if (this.resources != null) {
            builder.resources(this.resources);
        }
        else {
            builder.ioThreads(defaults.getIoThreads());
        }
        builder.frameReadTimeout(orDefault(settings.getFrameReadTimeout(), defaults.getFrameReadTimeout()));
        builder.idleTimeout(orDefault(settings.getIdleTimeout(), defaults.getIdleTimeout()));
        int[] marks = defaults.getWriteBuffer().marks();
        builder.writeBufferWaterMarks(marks[0], marks[1]);
        builder.writeStallTimeout(defaults.getWriteBuffer().getStallTimeout());
        builder.keepAlive(orDefault(settings.getKeepalive().getInterval(), defaults.getKeepalive().getInterval()),
                orDefault(settings.getKeepalive().getTimeout(), defaults.getKeepalive().getTimeout()));
        builder.timeout(orNull(settings.getTimeout(), defaults.getTimeout()));
        builder.ordering(orDefault(settings.getOrdering(), defaults.getOrdering()));
        Tls tls = tls(service, settings);
        if (tls != null) {
            builder.tls(this.sslBundles.sslContext(tls.property(), tls.bundle()));
        }
        this.customizers.forEach((customizer) -> customizer.customize(service, builder));
        AsyncRpcClient client = builder.build();
        logger.debug("asyncrpc client of remote service '" + service + "' calls " + client.address());
        return client;
    }

    /** Fails start-up if a bundle named in the properties does not exist, or TLS is on without one. */
    private void checkSslBundles() {
        String defaultBundle = this.properties.getDefaults().getSsl().getBundle();
        if (defaultBundle != null && !defaultBundle.isBlank()) {
            this.sslBundles.bundle("asyncrpc.client.defaults.ssl.bundle", defaultBundle.trim());
        }
        this.properties.getServices().forEach((service, settings) -> {
            Tls tls = tls(service, settings);
            if (tls != null) {
                this.sslBundles.bundle(tls.property(), tls.bundle());
            }
        });
    }

    /**
     * The SSL bundle a service's client uses, and the property that names it.
     * @return the bundle, or {@code null} for plaintext
     */
    private @Nullable Tls tls(String service, AsyncRpcClientProperties.Service settings) {
        String prefix = "asyncrpc.client.services." + service + ".ssl.";
        String bundle = settings.getSsl().getBundle();
        String property = prefix + "bundle";
        if (bundle == null || bundle.isBlank()) {
            bundle = this.properties.getDefaults().getSsl().getBundle();
            property = "asyncrpc.client.defaults.ssl.bundle";
        }
        boolean hasBundle = bundle != null && !bundle.isBlank();
        Boolean enabled = settings.getSsl().getEnabled();
        if (enabled == null) {
            enabled = hasBundle;
        }
        if (!enabled) {
            return null;
        }
        if (!hasBundle) {
            throw new InvalidConfigurationPropertyValueException(prefix + "enabled", true,
                    "TLS needs an SSL bundle: set " + prefix + "bundle or asyncrpc.client.defaults.ssl.bundle.");
        }
        return new Tls(property, bundle.trim());
    }

    /** A bundle name and the property it comes from. */
    private record Tls(String property, String bundle) {
    }

    private static <V> @Nullable V orNull(@Nullable V value, @Nullable V fallback) {
        return (value != null) ? value : fallback;
    }

    private static <V> V orDefault(@Nullable V value, V fallback) {
        return (value != null) ? value : fallback;
    }

    private static <T> T checkedProxy(AsyncRpcClient client, Class<T> type, String service) {
        try {
            return client.proxy(type);
        }
        catch (IllegalArgumentException ex) {
            throw new IllegalStateException("Cannot make a client of remote service '" + service + "' for " + type.getName() + ": "
                    + ex.getMessage(), ex);
        }
    }

    /** A proxy whose target is made when the service's address can be resolved. */
    private final class Deferred<T> implements InvocationHandler {

        private final Class<T> type;

        private final String service;

        private volatile @Nullable T target;

        Deferred(Class<T> type, String service) {
            this.type = type;
            this.service = service;
        }

        T target() {
            T t = this.target;
            if (t == null) {
                synchronized (this) {
                    t = this.target;
                    if (t == null) {
                        t = checkedProxy(client(this.service), this.type, this.service);
                        this.target = t;
                    }
                }
            }
            return t;
        }

        @Override
        public @Nullable Object invoke(Object proxy, Method method, @Nullable Object[] args) throws Throwable {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "toString" -> (this.target != null) ? String.valueOf(this.target)
                            : "asyncrpc proxy for " + this.type.getName() + " (service '" + this.service + "', address not resolved yet)";
                    default -> throw new IllegalStateException("unexpected method " + method);
                };
            }
            try {
                return method.invoke(target(), args);
            }
            catch (InvocationTargetException ex) {
                throw ex.getCause();
            }
        }
    }
}
