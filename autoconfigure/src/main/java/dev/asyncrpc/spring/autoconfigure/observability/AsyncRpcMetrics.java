package dev.asyncrpc.spring.autoconfigure.observability;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import java.util.function.ToIntFunction;

import dev.asyncrpc.AsyncRpcClient;
import dev.asyncrpc.AsyncRpcServer;
import dev.asyncrpc.CallObserver;
import dev.asyncrpc.CancelMode;
import dev.asyncrpc.PipeInfo;
import dev.asyncrpc.PipeTotals;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import org.jspecify.annotations.Nullable;

/**
 * asyncrpc's gauges and counters. Gauges read the runtime's own counts when they are sampled, so
 * they cost nothing per call; a client's gauges are registered when the client is made (the
 * client customizer reports it), the server's when the server is built. The pipe gauges sum the
 * open pipe ends ({@code openPipes()}) when sampled; the pipe counters read the runtime's
 * cumulative totals ({@code pipeTotals()}: the ended pipes plus the open ones). The other counters
 * count {@link CallObserver} events: cancels and go-aways.
 */
final class AsyncRpcMetrics implements MeterBinder, CallObserver {

    static final String CLIENT_PENDING_CALLS = "asyncrpc.client.calls.pending";

    static final String CLIENT_QUEUED_CALLS = "asyncrpc.client.calls.queued";

    static final String CLIENT_CONNECTIONS = "asyncrpc.client.connections";

    static final String CLIENT_CANCELS = "asyncrpc.client.cancels";

    static final String CLIENT_RETRIES = "asyncrpc.client.retries";

    static final String SERVER_ACTIVE_CALLS = "asyncrpc.server.calls.active";

    static final String SERVER_CONNECTIONS = "asyncrpc.server.connections";

    static final String SERVER_WORK_QUEUED = "asyncrpc.server.work.queued";

    static final String SERVER_WORKERS_BUSY = "asyncrpc.server.workers.busy";

    static final String SERVER_WORKERS_THREADS = "asyncrpc.server.workers.threads";

    static final String SERVER_WORKERS_MAX = "asyncrpc.server.workers.max";

    static final String SERVER_WORKERS_PARKED = "asyncrpc.server.workers.parked";

    static final String SERVER_WORKERS_PARK_REFUSED = "asyncrpc.server.workers.park.refused";

    static final String SERVER_CALLS_LIMIT = "asyncrpc.server.calls.limit";

    static final String SERVER_CALLS_REFUSED = "asyncrpc.server.calls.refused";

    static final String SERVER_WORK_REJECTED = "asyncrpc.server.work.rejected";

    static final String GOAWAYS = "asyncrpc.goaways";

    static final String CLIENT_PIPES_OPEN = "asyncrpc.client.pipes.open";

    static final String CLIENT_PIPES_ELEMENTS = "asyncrpc.client.pipes.elements";

    static final String CLIENT_PIPES_BYTES = "asyncrpc.client.pipes.bytes";

    static final String CLIENT_PIPES_STALLED = "asyncrpc.client.pipes.stalled";

    static final String SERVER_PIPES_OPEN = "asyncrpc.server.pipes.open";

    static final String SERVER_PIPES_ELEMENTS = "asyncrpc.server.pipes.elements";

    static final String SERVER_PIPES_BYTES = "asyncrpc.server.pipes.bytes";

    static final String SERVER_PIPES_STALLED = "asyncrpc.server.pipes.stalled";

    static final String CLIENT_PIPE_ELEMENTS = "asyncrpc.client.pipe.elements";

    static final String CLIENT_PIPE_BYTES = "asyncrpc.client.pipe.bytes";

    static final String CLIENT_PIPE_STALLED = "asyncrpc.client.pipe.stalled";

    static final String CLIENT_PIPES_OPENED = "asyncrpc.client.pipes.opened";

    static final String SERVER_PIPE_ELEMENTS = "asyncrpc.server.pipe.elements";

    static final String SERVER_PIPE_BYTES = "asyncrpc.server.pipe.bytes";

    static final String SERVER_PIPE_STALLED = "asyncrpc.server.pipe.stalled";

    static final String SERVER_PIPES_OPENED = "asyncrpc.server.pipes.opened";

    static final String DIRECT_MEMORY_USED = "asyncrpc.netty.direct.memory.used";

    static final String SERVER_PROTOCOL_ERRORS = "asyncrpc.server.protocol.errors";

    static final String SERVER_CONNECTIONS_REFUSED = "asyncrpc.server.connections.refused";

    static final String SERVER_MEMORY_BUDGET_USED = "asyncrpc.server.memory.budget.used";

    private final Supplier<@Nullable AsyncRpcServer> server;

    private final Function<String, @Nullable AsyncRpcClient> clients;

    private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();

    private final Set<String> services = new LinkedHashSet<>();

    private boolean serverBuilt;

    /**
     * Create the metrics.
     * @param server the running server, or {@code null} when none runs (asked when sampled)
     * @param clients the client of a service, or {@code null} (asked when sampled)
     */
    AsyncRpcMetrics(Supplier<@Nullable AsyncRpcServer> server, Function<String, @Nullable AsyncRpcClient> clients) {
        this.server = server;
        this.clients = clients;
    }

    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        this.registries.add(registry);
        Gauge.builder(DIRECT_MEMORY_USED, AsyncRpcMetrics::directMemoryUsed)
            .description("Direct memory used by Netty's default allocator, which asyncrpc's connections use")
            .baseUnit(BaseUnits.BYTES)
            .register(registry);
        for (CallInfo.Side side : CallInfo.Side.values()) {
            goAways(registry, side);
        }
        if (this.serverBuilt) {
            bindServer(registry);
        }
        for (String service : this.services) {
            bindClient(registry, service);
        }
    }

    /**
     * Direct memory held by the allocator the runtime uses ({@code ByteBufAllocator.DEFAULT}: the
     * adaptive or the pooled one, as {@code io.netty.allocator.type} says), or -1 when it keeps no
     * account.
     */
    static long directMemoryUsed() {
        return (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider provider) ? provider.metric().usedDirectMemory() : -1;
    }

    /** The server is being built: register its gauges. */
    synchronized void serverBuilt() {
        if (!this.serverBuilt) {
            this.serverBuilt = true;
            this.registries.forEach(this::bindServer);
        }
    }

    /** The client of {@code service} is being built: register its gauges. */
    synchronized void clientBuilt(String service) {
        if (this.services.add(service)) {
            for (MeterRegistry registry : this.registries) {
                bindClient(registry, service);
            }
        }
    }

    private void bindServer(MeterRegistry registry) {
        Gauge.builder(SERVER_ACTIVE_CALLS, () -> server(AsyncRpcServer::activeCalls))
            .description("Calls in progress on the server")
            .register(registry);
        Gauge.builder(SERVER_CONNECTIONS, () -> server(AsyncRpcServer::connections))
            .description("Connections open to the server")
            .register(registry);
        Gauge.builder(SERVER_WORK_QUEUED, () -> server(AsyncRpcServer::queuedWork))
            .description("Calls (and batches of asynchronous calls) waiting for a worker thread: in connections' quotas or in the worker executor's queue")
            .register(registry);
        Gauge.builder(SERVER_WORKERS_BUSY, () -> server(AsyncRpcServer::busyWorkers))
            .description("Worker threads running a call (or a batch of asynchronous calls) now, with any executor")
            .register(registry);
        Gauge.builder(SERVER_WORKERS_THREADS, () -> ownPool(AsyncRpcServer::workerThreads))
            .description("Threads of the server's own worker pool alive now (NaN with another executor)")
            .register(registry);
        Gauge.builder(SERVER_WORKERS_MAX, () -> ownPool(AsyncRpcServer::maxWorkerThreads))
            .description("The most threads of the server's own worker pool (NaN with another executor)")
            .register(registry);
        Gauge.builder(SERVER_WORKERS_PARKED, () -> ownPool(AsyncRpcServer::parkedWorkers))
            .description("Threads of the server's own worker pool parked now: their plain implementations wait for pipe data, other threads run calls in their place (NaN with another executor)")
            .register(registry);
        FunctionCounter.builder(SERVER_WORKERS_PARK_REFUSED, this, (metrics) -> {
            AsyncRpcServer s = metrics.server.get();
            return (s != null) ? s.parkRefusals() : 0;
        })
            .description("Waits for pipe data refused because the most workers (max-parked-workers) were parked already; their calls failed with RESOURCE_EXHAUSTED")
            .register(registry);
        Gauge.builder(SERVER_CALLS_LIMIT, () -> server(AsyncRpcServer::maxCallsInProgress))
            .description("The most calls in progress on all connections together; more are refused with RESOURCE_EXHAUSTED")
            .register(registry);
        FunctionCounter.builder(SERVER_CALLS_REFUSED, this, (metrics) -> {
            AsyncRpcServer s = metrics.server.get();
            return (s != null) ? s.refusedCalls() : 0;
        })
            .description("Calls refused with RESOURCE_EXHAUSTED because a limit of calls in progress (per connection or server-wide) was reached; they never ran")
            .register(registry);
        FunctionCounter.builder(SERVER_WORK_REJECTED, this, (metrics) -> {
            AsyncRpcServer s = metrics.server.get();
            return (s != null) ? s.rejectedWork() : 0;
        })
            .description("Work the worker executor refused; its calls failed without running")
            .register(registry);
        for (PipeInfo.Direction direction : PipeInfo.Direction.values()) {
            String tag = direction.name().toLowerCase(Locale.ROOT);
            Supplier<List<PipeInfo>> pipes = () -> {
                AsyncRpcServer s = this.server.get();
                return (s != null) ? s.openPipes() : List.of();
            };
            Gauge.builder(SERVER_PIPES_OPEN, () -> count(pipes, direction))
                .description("Pipe ends of calls in progress on the server that are open now, by direction (in: caller to implementer)")
                .tag("direction", tag)
                .register(registry);
            Gauge.builder(SERVER_PIPES_ELEMENTS, () -> sum(pipes, direction, PipeInfo::elements))
                .description("Elements the server's open pipe ends have sent or received so far, by direction")
                .tag("direction", tag)
                .register(registry);
            Gauge.builder(SERVER_PIPES_BYTES, () -> sum(pipes, direction, PipeInfo::bytes))
                .description("Bytes the server's open pipe ends have sent or received so far, by direction")
                .tag("direction", tag)
                .baseUnit(BaseUnits.BYTES)
                .register(registry);
            FunctionCounter.builder(SERVER_PIPE_ELEMENTS, this, (metrics) -> metrics.serverTotals().elements(direction))
                .description("Elements the server's pipe ends have received (in-pipes) or sent (out-pipes), ended pipes included, by direction")
                .tag("direction", tag)
                .register(registry);
            FunctionCounter.builder(SERVER_PIPE_BYTES, this, (metrics) -> metrics.serverTotals().bytes(direction))
                .description("Bytes the server's pipe ends have received or sent, ended pipes included, by direction")
                .tag("direction", tag)
                .baseUnit(BaseUnits.BYTES)
                .register(registry);
            TimeGauge.builder(SERVER_PIPES_STALLED, () -> sum(pipes, direction, AsyncRpcMetrics::stalledNanos), TimeUnit.NANOSECONDS)
                .description("Time the server's open sending pipe ends (out-pipes) have waited for credit with data to send, by direction")
                .tag("direction", tag)
                .register(registry);
        }
        for (String kind : AsyncRpcServer.PROTOCOL_ERROR_KINDS) {
            FunctionCounter.builder(SERVER_PROTOCOL_ERRORS, this, (metrics) -> metrics.protocolErrors(kind))
                .description("Protocol errors of clients, each of which closed its connection with a GOAWAY, by kind")
                .tag("kind", kind)
                .register(registry);
        }
        FunctionCounter.builder(SERVER_CONNECTIONS_REFUSED, this, (metrics) -> metrics.serverLong(AsyncRpcServer::refusedConnections))
            .description("Connections refused because the server had max-connections open")
            .register(registry);
        Gauge.builder(SERVER_MEMORY_BUDGET_USED, () -> serverLong(AsyncRpcServer::memoryBudgetUsed))
            .description("Bytes of the server's memory budget held now: incomplete frames and call arguments not yet decoded")
            .baseUnit(BaseUnits.BYTES)
            .register(registry);
        FunctionCounter.builder(SERVER_PIPES_OPENED, this, (metrics) -> metrics.serverTotals().pipesOpened())
            .description("Pipe ends the server has opened for calls, ended ones included")
            .register(registry);
        FunctionCounter.builder(SERVER_PIPE_STALLED, this, (metrics) -> metrics.serverTotals().stalled().toNanos() / 1e9)
            .description("Time the server's sending pipe ends (out-pipes) have waited for credit with data to send, ended pipes included")
            .baseUnit("seconds")
            .register(registry);
    }

    private double serverLong(java.util.function.ToLongFunction<AsyncRpcServer> value) {
        AsyncRpcServer s = this.server.get();
        return (s != null) ? value.applyAsLong(s) : 0;
    }

    private double protocolErrors(String kind) {
        AsyncRpcServer s = this.server.get();
        return (s != null) ? s.protocolErrors().getOrDefault(kind, 0L) : 0;
    }

    private PipeTotals serverTotals() {
        AsyncRpcServer s = this.server.get();
        return (s != null) ? s.pipeTotals() : PipeTotals.ZERO;
    }

    private PipeTotals clientTotals(String service) {
        AsyncRpcClient c = this.clients.apply(service);
        return (c != null) ? c.pipeTotals() : PipeTotals.ZERO;
    }

    private static int count(Supplier<List<PipeInfo>> pipes, PipeInfo.Direction direction) {
        int n = 0;
        for (PipeInfo p : pipes.get()) {
            if (p.direction() == direction) {
                n++;
            }
        }
        return n;
    }

    private static double sum(Supplier<List<PipeInfo>> pipes, PipeInfo.Direction direction, ToDoubleFunction<PipeInfo> value) {
        double total = 0;
        for (PipeInfo p : pipes.get()) {
            if (p.direction() == direction) {
                total += value.applyAsDouble(p);
            }
        }
        return total;
    }

    private static double stalledNanos(PipeInfo pipe) {
        return pipe.stalled().toNanos();
    }

    private void bindClient(MeterRegistry registry, String service) {
        Gauge.builder(CLIENT_PENDING_CALLS, () -> client(service, AsyncRpcClient::pendingCalls))
            .description("Calls issued through the client of a remote service that have not completed")
            .tag("service", service)
            .register(registry);
        Gauge.builder(CLIENT_QUEUED_CALLS, () -> client(service, AsyncRpcClient::queuedCalls))
            .description("Calls held by the client of a remote service and not sent yet: during a handshake, or while the server's announced maximum of concurrent calls is reached")
            .tag("service", service)
            .register(registry);
        Gauge.builder(CLIENT_CONNECTIONS, () -> client(service, AsyncRpcClient::connections))
            .description("Connections of the client of a remote service, open or opening")
            .tag("service", service)
            .register(registry);
        FunctionCounter.builder(CLIENT_RETRIES, this, (metrics) -> {
            AsyncRpcClient c = metrics.clients.apply(service);
            return (c != null) ? c.retriedCalls() : 0;
        })
            .description("Calls sent again after an attempt that provably did not run (refused as not dispatched, never written, or lost after a go-away)")
            .tag("service", service)
            .register(registry);
        for (PipeInfo.Direction direction : PipeInfo.Direction.values()) {
            String tag = direction.name().toLowerCase(Locale.ROOT);
            Supplier<List<PipeInfo>> pipes = () -> {
                AsyncRpcClient c = this.clients.apply(service);
                return (c != null) ? c.openPipes() : List.of();
            };
            Gauge.builder(CLIENT_PIPES_OPEN, () -> count(pipes, direction))
                .description("Pipe ends of calls in progress through the client of a remote service that are open now, by direction (in: caller to implementer)")
                .tag("service", service)
                .tag("direction", tag)
                .register(registry);
            Gauge.builder(CLIENT_PIPES_ELEMENTS, () -> sum(pipes, direction, PipeInfo::elements))
                .description("Elements the client's open pipe ends have sent or received so far, by direction")
                .tag("service", service)
                .tag("direction", tag)
                .register(registry);
            Gauge.builder(CLIENT_PIPES_BYTES, () -> sum(pipes, direction, PipeInfo::bytes))
                .description("Bytes the client's open pipe ends have sent or received so far, by direction")
                .tag("service", service)
                .tag("direction", tag)
                .baseUnit(BaseUnits.BYTES)
                .register(registry);
            FunctionCounter.builder(CLIENT_PIPE_ELEMENTS, this, (metrics) -> metrics.clientTotals(service).elements(direction))
                .description("Elements the client's pipe ends have sent (in-pipes) or received (out-pipes), ended pipes included, by direction")
                .tag("service", service)
                .tag("direction", tag)
                .register(registry);
            FunctionCounter.builder(CLIENT_PIPE_BYTES, this, (metrics) -> metrics.clientTotals(service).bytes(direction))
                .description("Bytes the client's pipe ends have sent or received, ended pipes included, by direction")
                .tag("service", service)
                .tag("direction", tag)
                .baseUnit(BaseUnits.BYTES)
                .register(registry);
            TimeGauge.builder(CLIENT_PIPES_STALLED, () -> sum(pipes, direction, AsyncRpcMetrics::stalledNanos), TimeUnit.NANOSECONDS)
                .description("Time the client's open sending pipe ends (in-pipes) have waited for credit with data to send, by direction")
                .tag("service", service)
                .tag("direction", tag)
                .register(registry);
        }
        FunctionCounter.builder(CLIENT_PIPES_OPENED, this, (metrics) -> metrics.clientTotals(service).pipesOpened())
            .description("Pipe ends the client of a remote service has opened for calls, ended ones included")
            .tag("service", service)
            .register(registry);
        FunctionCounter.builder(CLIENT_PIPE_STALLED, this, (metrics) -> metrics.clientTotals(service).stalled().toNanos() / 1e9)
            .description("Time the client's sending pipe ends (in-pipes) have waited for credit with data to send, ended pipes included")
            .tag("service", service)
            .baseUnit("seconds")
            .register(registry);
    }

    private double ownPool(ToIntFunction<AsyncRpcServer> count) {
        AsyncRpcServer s = this.server.get();
        int n = (s != null) ? count.applyAsInt(s) : 0;
        return (n < 0) ? Double.NaN : n;
    }

    private int server(ToIntFunction<AsyncRpcServer> count) {
        AsyncRpcServer s = this.server.get();
        return (s != null) ? count.applyAsInt(s) : 0;
    }

    private int client(String service, ToIntFunction<AsyncRpcClient> count) {
        AsyncRpcClient c = this.clients.apply(service);
        return (c != null) ? count.applyAsInt(c) : 0;
    }

    private static Counter goAways(MeterRegistry registry, CallInfo.Side side) {
        return Counter.builder(GOAWAYS)
            .description("GOAWAY frames a server sent (side=server) or a client received (side=client)")
            .tag("side", side.name().toLowerCase(Locale.ROOT))
            .register(registry);
    }

    @Override
    public void onCancel(CallInfo call, CancelMode mode) {
        for (MeterRegistry registry : new ArrayList<>(this.registries)) {
            Counter.builder(CLIENT_CANCELS)
                .description("Calls the caller cancelled, by mode (ABORTIVE or GRACEFUL)")
                .tag("service", call.service())
                .tag("method", call.operation())
                .tag("mode", mode.name())
                .register(registry)
                .increment();
        }
    }

    @Override
    public void onGoAway(CallInfo.Side side, String peer) {
        for (MeterRegistry registry : this.registries) {
            goAways(registry, side).increment();
        }
    }
}
