package dev.asyncrpc;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;

import dev.asyncrpc.internal.client.ClientBinding;
import dev.asyncrpc.internal.client.ClientProxy;
import dev.asyncrpc.internal.client.ClientRuntime;
import dev.asyncrpc.internal.protocol.Settings;
import dev.asyncrpc.internal.client.lb.AddressList;

/**
 * An asyncrpc client without Spring: one target address, one multiplexed connection (reopened on
 * the next call after a failure), and proxies for {@code @RemoteService} interfaces.
 * <pre>{@code
 * AsyncRpcClient client = AsyncRpcClient.builder().address("127.0.0.1:7443").build();
 * InventoryAsync inventory = client.proxy(InventoryAsync.class);
 * }</pre>
 * An address may name several endpoints ({@code "10.0.0.5:7443,10.0.0.6:7443"}), or a host name
 * re-resolved every {@link Builder#refreshInterval(Duration) refresh interval} (a Kubernetes headless
 * Service): calls are then balanced over the endpoints, one connection each, by the power of two
 * choices on calls in progress; an endpoint that fails or sends GOAWAY takes no new calls and is
 * reconnected with backoff; calls that provably did not run ({@link Status#NOT_DISPATCHED}) are
 * sent again to another endpoint. See {@code docs/deploy.md}.
 * <p>
 * Closing the client fails its pending calls with {@link Status#UNAVAILABLE}; later calls throw.
 */
public final class AsyncRpcClient implements AutoCloseable {

    private final ClientRuntime runtime;
    private final ClientBinding binding;
    private final AsyncRpcResources resources;

    AsyncRpcClient(ClientRuntime runtime, ClientBinding binding, AsyncRpcResources resources) {
        this.runtime = runtime;
        this.binding = binding;
        this.resources = resources;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * A proxy for a caller's view of a remote service.
     * @param <T> the interface type
     * @param type an interface annotated {@link RemoteService}
     * @return the proxy, thread-safe
     * @throws IllegalArgumentException if the interface is not a valid contract, naming the fix
     */
    public <T> T proxy(Class<T> type) {
        return proxy(type, CallOptions.DEFAULT);
    }

    /**
     * A proxy whose calls use {@code options} (below each operation's {@link AsyncRemote} settings).
     * @param <T> the interface type
     * @param type an interface annotated {@link RemoteService}
     * @param options the call options
     * @return the proxy, thread-safe
     * @throws IllegalArgumentException if the interface is not a valid contract, naming the fix
     */
    public <T> T proxy(Class<T> type, CallOptions options) {
        return ClientProxy.create(type, this.binding, this.runtime, Objects.requireNonNull(options, "options"));
    }

    /**
     * The pipes of this client's calls that are open now: a read-only snapshot.
     * @return one entry per open pipe end, by call id and pipe index
     */
    public List<PipeInfo> openPipes() {
        return this.runtime.pipes().snapshot();
    }

    /**
     * Cumulative pipe totals of this client's pipe ends since it was built: the ended ones plus the open
     * ones, so every field only grows (fit for counters). Cheap: one pass over the open ends.
     * @return the totals
     */
    public PipeTotals pipeTotals() {
        return this.runtime.pipes().totals();
    }

    /**
     * The target address, as configured.
     * @return the address
     */
    public String address() {
        return this.binding.address();
    }

    /**
     * The endpoints calls go to now: the one address, the entries of a list, or what the last
     * resolution of a re-resolved name returned.
     * @return the endpoints, such as {@code 10.0.0.5:7443}
     */
    public List<String> endpoints() {
        return this.binding.endpoints();
    }

    /**
     * How many times a call was sent again after an attempt that provably did not run (refused
     * with {@link Status#NOT_DISPATCHED}, never written, or lost after the server's GOAWAY).
     * Always 0 for a single-endpoint address.
     * @return the count since the client was built
     */
    public long retriedCalls() {
        return this.binding.retried();
    }

    /**
     * Calls issued through this client that have not completed yet.
     * @return the count
     */
    public int pendingCalls() {
        return this.runtime.pendingCalls();
    }

    /**
     * Calls issued through this client and held locally, not sent yet: while a connection's
     * handshake is in progress, or while the server's {@code MAX_CONCURRENT_CALLS} (announced in its
     * handshake) are in progress on that connection, or while its outbound buffer is full (the
     * server does not read). Such calls wait in issue order, without limit
     * of time unless they have a deadline ({@link Builder#timeout(Duration)}, {@link AsyncRemote});
     * this count (and the {@code asyncrpc.client.calls.queued} gauge in Spring Boot) shows them. They
     * are included in {@link #pendingCalls()}.
     * @return the count
     */
    public int queuedCalls() {
        return this.runtime.queuedCalls();
    }

    /**
     * A read-only snapshot of the calls this client's connections hold: issued and not answered
     * yet, oldest first, without argument values. It costs nothing until asked: each connection's
     * event loop lists its calls, and this waits for the loops for at most a second.
     * @return the calls
     */
    public java.util.List<PendingCallInfo> pendingCallSnapshot() {
        return this.runtime.pendingCallSnapshot(Duration.ofSeconds(1));
    }

    /**
     * Check that the target answers: send a protocol PING on the connection a call would use now
     * (opening it if there is none, as a call does) and wait for the matching PONG. With several
     * endpoints, the one the balancer would pick for a call is pinged. Nothing reaches the
     * server's services; cheap enough for a health check.
     * @param timeout how long connecting, the handshake and the PONG may take in all
     * @return completes with the round-trip time from the PING's write to its PONG; fails with a
     *         {@link RemoteCallException} with {@link Status#UNAVAILABLE} if the connection cannot be
     *         opened or fails (or the client is closed), or {@link Status#DEADLINE_EXCEEDED} once
     *         {@code timeout} has passed. Completes on the client's executor.
     * @throws IllegalArgumentException if the timeout is not positive
     */
    public java.util.concurrent.CompletionStage<Duration> ping(Duration timeout) {
        if (timeout == null || timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0)");
        }
        return this.binding.ping(timeout);
    }

    /**
     * Connections open or opening.
     * @return the count
     */
    public int connections() {
        return this.runtime.connectionCount();
    }

    /**
     * The transport of this client's event loops: {@link Transport#EPOLL} or {@link Transport#NIO}
     * (its own, or those of the {@link Builder#resources(AsyncRpcResources) shared resources}).
     * @return the transport in use
     */
    public Transport transport() {
        return this.runtime.transport();
    }

    /**
     * Close this client's connections (pending calls fail with {@link Status#UNAVAILABLE}) and the
     * threads it owns; borrowed {@link AsyncRpcResources} stay open for their owner to close.
     */
    @Override
    public void close() {
        this.binding.close();
        this.runtime.close();
        if (this.resources != null) {
            this.resources.giveBack(this);
        }
    }

    /**
     * Collects the settings of an {@link AsyncRpcClient}; every setting is checked when set.
     * {@link #build()} hands them to {@code ClientAssembly}, which makes or borrows the threads and
     * wires the client.
     */
    public static final class Builder {

        // the settings, read by ClientAssembly
        String address;
        Duration refreshInterval;
        AddressResolver resolver = AddressResolver.system();
        int maxAttempts = 5;
        Duration connectTimeout = Duration.ofSeconds(10);
        Duration handshakeTimeout = Duration.ofSeconds(10);
        Settings settings = Settings.DEFAULTS;
        ExecutorService executor;
        int ioThreads = 1;
        Duration timeout;
        Ordering ordering = Ordering.CAUSAL;
        javax.net.ssl.SSLContext sslContext;
        CallObserver observer = CallObserver.NONE;
        boolean directCompletion;
        dev.asyncrpc.internal.transport.ConnectionOptions options = dev.asyncrpc.internal.transport.ConnectionOptions.CLIENT_DEFAULTS;
        AsyncRpcResources resources;
        Transport transport = Transport.AUTO;
        final java.util.List<java.util.Map.Entry<String, ClientInterceptor>> interceptors = new java.util.ArrayList<>();

        /**
         * Borrow the event loops and the completion executor of {@code resources}, shared with other
         * clients of the application, instead of making this client's own. The client keeps its own
         * connections and settings; closing it does not close the resources (their owner does,
         * after the clients). {@link #ioThreads(int)} and {@link #transport(Transport)} are then
         * ignored; an {@link #executor(ExecutorService) executor} given here still completes this
         * client's calls.
         * @param resources the shared resources, or {@code null} for the client's own threads
         * @return this builder
         */
        public Builder resources(AsyncRpcResources resources) {
            this.resources = resources;
            return this;
        }

        /**
         * The transport of this client's own event loops (without {@link #resources shared
         * resources}). Default {@link Transport#AUTO}.
         * @param transport the transport
         * @return this builder
         */
        public Builder transport(Transport transport) {
            this.transport = Objects.requireNonNull(transport, "transport");
            return this;
        }

        /**
         * Intercept the calls to every service; interceptors run in the order they were added
         * (global and per-service ones alike).
         * @param interceptor the interceptor
         * @return this builder
         */
        public Builder interceptor(ClientInterceptor interceptor) {
            this.interceptors.add(new java.util.AbstractMap.SimpleImmutableEntry<>(null, Objects.requireNonNull(interceptor, "interceptor")));
            return this;
        }

        /**
         * Intercept the calls to one service; interceptors run in the order they were added
         * (global and per-service ones alike).
         * @param service the service name ({@code @RemoteService} value)
         * @param interceptor the interceptor
         * @return this builder
         */
        public Builder interceptor(String service, ClientInterceptor interceptor) {
            if (service == null || service.isBlank()) {
                throw new IllegalArgumentException("interceptor service: '" + service + "' (expected: a service name)");
            }
            this.interceptors.add(new java.util.AbstractMap.SimpleImmutableEntry<>(service, Objects.requireNonNull(interceptor, "interceptor")));
            return this;
        }

        /**
         * Decode replies and complete calls on the Netty event loop that read them, instead of on
         * the client's executor: one thread hand-off less per call. Off by default. Callbacks that
         * are not given an executor (non-async {@code CompletableFuture} stages) then run on the
         * event loop, so they must be quick and must never block; {@code whenDone(callback,
         * executor)} still runs where it is told.
         * @param direct whether to complete calls on the event loop
         * @return this builder
         */
        public Builder directCompletion(boolean direct) {
            this.directCompletion = direct;
            return this;
        }

        /**
         * Observe every call and connection (metrics, tracing); an observer may add metadata to calls.
         * @param observer the observer
         * @return this builder
         */
        public Builder observer(CallObserver observer) {
            this.observer = Objects.requireNonNull(observer, "observer");
            return this;
        }

        private Builder() {
        }

        /**
         * Call over TLS with {@code context}: its trust managers check the server's certificate, which
         * must name the host dialled; its key managers, if any, give the client's certificate.
         * @param context the TLS context, or {@code null} for plaintext
         * @return this builder
         */
        public Builder tls(javax.net.ssl.SSLContext context) {
            this.sslContext = context;
            return this;
        }

        /**
         * The time every call may take unless its proxy or operation says otherwise; expiry fails
         * the call with {@link Status#DEADLINE_EXCEEDED} and tells the server. Default: none, as in
         * Microsoft RPC (a call waits until it completes, is cancelled, or its connection fails).
         * @param timeout the timeout, or {@code null} for none
         * @return this builder
         */
        public Builder timeout(Duration timeout) {
            this.timeout = (timeout != null) ? positive(timeout, "timeout") : null;
            return this;
        }

        /**
         * Dispatch ordering of calls made through this client from one thread. Default
         * {@link Ordering#CAUSAL}.
         * @param ordering the ordering
         * @return this builder
         */
        public Builder ordering(Ordering ordering) {
            this.ordering = Objects.requireNonNull(ordering, "ordering");
            return this;
        }

        /**
         * Where to call: {@code host:port}, {@code local:name} (in-JVM) or {@code unix:/path}; or
         * several of them separated by commas, to balance calls over them.
         * @param address the address
         * @return this builder
         */
        public Builder address(String address) {
            this.address = AddressList.parse(address).toString();
            return this;
        }

        /**
         * Several endpoints to balance calls over; the same as {@link #address(String)} with the
         * entries joined by commas.
         * @param addresses the endpoints, each {@code host:port}, {@code local:name} or {@code unix:/path}
         * @return this builder
         */
        public Builder addresses(List<String> addresses) {
            if (addresses == null || addresses.isEmpty()) {
                throw new IllegalArgumentException("addresses: " + addresses + " (expected: at least one address)");
            }
            return address(String.join(",", addresses));
        }

        /**
         * Several endpoints to balance calls over.
         * @param addresses the endpoints
         * @return this builder
         * @see #addresses(List)
         */
        public Builder addresses(String... addresses) {
            return addresses(List.of(addresses));
        }

        /**
         * Resolve the host names of the address through the {@link #resolver(AddressResolver)
         * resolver} now and again every {@code interval}, and balance calls over every address
         * found: what a Kubernetes headless Service needs. A new endpoint takes calls within one
         * interval; one that disappears takes none after the resolution that missed it (its calls
         * in progress finish). Default: none (names are resolved when connecting, and a single
         * address is not balanced).
         * @param interval the interval, or {@code null} for none
         * @return this builder
         */
        public Builder refreshInterval(Duration interval) {
            this.refreshInterval = (interval != null) ? positive(interval, "refreshInterval") : null;
            return this;
        }

        /**
         * How host names are resolved when a {@link #refreshInterval(Duration) refresh interval}
         * is set. Default {@link AddressResolver#system()}.
         * @param resolver the resolver
         * @return this builder
         */
        public Builder resolver(AddressResolver resolver) {
            this.resolver = Objects.requireNonNull(resolver, "resolver");
            return this;
        }

        /**
         * With several endpoints: how many times in all a call may be sent when its attempts
         * provably did not run (refused with {@link Status#NOT_DISPATCHED} by a draining server,
         * never written, or lost after a GOAWAY that excluded it). Nothing else is retried.
         * Default 5; 1 turns retries off.
         * @param attempts the number of attempts
         * @return this builder
         */
        public Builder maxAttempts(int attempts) {
            if (attempts < 1) {
                throw new IllegalArgumentException("maxAttempts: " + attempts + " (expected: >= 1)");
            }
            this.maxAttempts = attempts;
            return this;
        }

        /**
         * How long a connection attempt may take. Default 10 s.
         * @param timeout the timeout
         * @return this builder
         */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        /**
         * How long the server may take to answer the handshake. Default 10 s.
         * @param timeout the timeout
         * @return this builder
         */
        public Builder handshakeTimeout(Duration timeout) {
            this.handshakeTimeout = positive(timeout, "handshakeTimeout");
            return this;
        }

        /**
         * Outbound bytes queued on one connection above which the client stops reading from it and
         * holds back new calls ({@code high}), and below which it goes on ({@code low}). Default
         * 512 KiB and 1 MiB.
         * @param low the low water mark in bytes
         * @param high the high water mark in bytes
         * @return this builder
         */
        public Builder writeBufferWaterMarks(int low, int high) {
            this.options = this.options.withWriteBufferWaterMarks(low, high);
            return this;
        }

        /**
         * How long a server may leave the data queued for it above the high water mark unread before
         * the connection is closed (its calls fail with {@link Status#UNAVAILABLE}); {@code 0} for no
         * limit. Default 30 s.
         * @param timeout the timeout
         * @return this builder
         */
        public Builder writeStallTimeout(Duration timeout) {
            this.options = this.options.withWriteStallTimeout(timeout);
            return this;
        }

        /**
         * How long a frame from the server may take to arrive once its first bytes have; the
         * connection is then closed and its calls fail with {@link Status#UNAVAILABLE}. {@code 0}
         * for no limit. Default 30 s.
         * @param timeout the timeout
         * @return this builder
         */
        public Builder frameReadTimeout(Duration timeout) {
            this.options = this.options.withFrameReadTimeout(timeout);
            return this;
        }

        /**
         * How long a connection with no call in progress stays open before the client closes it (the
         * next call opens a new one); {@code 0} for never. Default 0.
         * @param timeout the timeout
         * @return this builder
         */
        public Builder idleTimeout(Duration timeout) {
            this.options = this.options.withIdleTimeout(timeout);
            return this;
        }

        /**
         * Keepalive: after {@code interval} without receiving anything from a server, send it a PING;
         * if nothing arrives within {@code timeout}, close the connection, and its pending calls fail
         * with {@link Status#UNAVAILABLE}. A dead, paused or half-open server is so detected within
         * {@code interval + timeout}. {@code interval} 0 turns keepalive off. Default 30 s and 10 s.
         * @param interval the silence before a PING
         * @param timeout how long to wait for an answer
         * @return this builder
         */
        public Builder keepAlive(Duration interval, Duration timeout) {
            this.options = this.options.withKeepAlive(interval, timeout);
            return this;
        }

        /**
         * The largest frame accepted from the server, in bytes. Default 16 MiB.
         * @param bytes the size
         * @return this builder
         */
        public Builder maxFrameSize(int bytes) {
            this.settings = this.settings.withMaxFrameSize(bytes); // checked by Settings, naming the value
            return this;
        }

        /**
         * The pipe window: how many bytes of one pipe's data a server may have sent before this client
         * returns credit, which bounds the memory each pipe it receives can take. Elements may take up
         * to half of it. Default 1 MiB.
         * @param bytes the window
         * @return this builder
         */
        public Builder pipeWindow(int bytes) {
            this.settings = this.settings.withInitialPipeWindow(bytes); // checked by Settings, naming the value
            return this;
        }

        /**
         * The executor that runs the callbacks of this client's asynchronous calls. The caller keeps
         * ownership. Default: the completion executor of the {@link #resources shared resources},
         * or else a pool owned by the client (up to the number of cores, at least 2, threads
         * started only when a task finds none idle).
         * @param executor the executor
         * @return this builder
         */
        public Builder executor(ExecutorService executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * Netty event loop threads of this client's own group (without {@link #resources shared
         * resources}). Default 1.
         * @param threads the thread count
         * @return this builder
         */
        public Builder ioThreads(int threads) {
            if (threads <= 0) {
                throw new IllegalArgumentException("ioThreads: " + threads + " (expected: > 0)");
            }
            this.ioThreads = threads;
            return this;
        }

        private static Duration positive(Duration d, String name) {
            if (d == null || d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException(name + ": " + d + " (expected: > 0)");
            }
            return d;
        }

        /**
         * Build the client. Nothing connects until the first call.
         * @return the client
         * @throws IllegalStateException if no address was set, or the shared
         *         {@link #resources(AsyncRpcResources) resources} are closed
         */
        public AsyncRpcClient build() {
            return ClientAssembly.assemble(this);
        }
    }
}
