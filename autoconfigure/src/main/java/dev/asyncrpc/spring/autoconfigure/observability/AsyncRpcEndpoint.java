package dev.asyncrpc.spring.autoconfigure.observability;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

import dev.asyncrpc.AsyncRpcClient;
import dev.asyncrpc.AsyncRpcServer;
import dev.asyncrpc.CallObserver.CallInfo;
import dev.asyncrpc.CallState;
import dev.asyncrpc.PendingCallInfo;
import dev.asyncrpc.PipeInfo;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * The {@code asyncrpc} Actuator endpoint, read-only: the services and operations the server
 * serves (with the pipes each takes) and its open pipes, and for each client its target,
 * connection state, pending calls (service, method, age, state) and open pipes (direction,
 * elements, bytes, window, stalled time). It shows no argument values.
 */
@Endpoint(id = "asyncrpc")
public final class AsyncRpcEndpoint {

    private final Supplier<@Nullable AsyncRpcServer> server;

    private final Supplier<Map<String, AsyncRpcClient>> clients;

    private final int maxPendingCalls;

    /**
     * Create the endpoint.
     * @param server the running server, or {@code null} when none runs
     * @param clients the clients by service name
     * @param maxPendingCalls the most pending calls listed per client, and the most open pipes
     *        listed per client and for the server
     */
    public AsyncRpcEndpoint(Supplier<@Nullable AsyncRpcServer> server, Supplier<Map<String, AsyncRpcClient>> clients,
            int maxPendingCalls) {
        this.server = server;
        this.clients = clients;
        this.maxPendingCalls = maxPendingCalls;
    }

    /**
     * What the server serves and what the clients are waiting for.
     * @return the description
     */
    @ReadOperation
    public AsyncRpcDescriptor asyncrpc() {
        return new AsyncRpcDescriptor(server(), clients());
    }

    private @Nullable ServerDescriptor server() {
        AsyncRpcServer s = this.server.get();
        if (s == null) {
            return null;
        }
        Map<String, List<OperationDescriptor>> byService = new LinkedHashMap<>();
        for (CallInfo op : s.operations()) {
            byService.computeIfAbsent(op.service(), (k) -> new ArrayList<>()).add(new OperationDescriptor(op.operation(), op.async(), s.pipes(op)));
        }
        List<ServiceDescriptor> services = new ArrayList<>();
        byService.forEach((name, operations) -> services.add(new ServiceDescriptor(name, operations)));
        return new ServerDescriptor(s.address(), s.isAccepting(), s.activeCalls(), s.connections(), services, pipes(s.openPipes()),
                s.transport().name().toLowerCase());
    }

    private Map<String, ClientDescriptor> clients() {
        Map<String, ClientDescriptor> clients = new TreeMap<>();
        this.clients.get().forEach((service, client) -> {
            List<PendingCallInfo> snapshot = client.pendingCallSnapshot();
            List<PendingCallDescriptor> pending = snapshot.stream()
                .limit(this.maxPendingCalls)
                .map((call) -> new PendingCallDescriptor(call.service(), call.operation(), call.age().toMillis(), call.state()))
                .toList();
            clients.put(service, new ClientDescriptor(client.address(), client.endpoints(), ConnectionState.of(client).name(),
                    client.connections(), client.pendingCalls(), pending, pipes(client.openPipes()), client.transport().name().toLowerCase(),
                    client.queuedCalls()));
        });
        return clients;
    }

    private List<PipeDescriptor> pipes(List<PipeInfo> open) {
        return open.stream()
            .limit(this.maxPendingCalls)
            .map((p) -> new PipeDescriptor(p.operation(), p.callId(), p.index(), p.direction(), p.sending(), p.elements(), p.bytes(),
                    p.window(), p.unacknowledgedBytes(), p.bufferedBytes(), p.stalled().toMillis()))
            .toList();
    }

    /**
     * The endpoint's answer.
     *
     * @param server the server, or {@code null} when this application serves nothing
     * @param clients the clients of remote services, by service name
     */
    public record AsyncRpcDescriptor(@Nullable ServerDescriptor server, Map<String, ClientDescriptor> clients) {
    }

    /**
     * The server.
     *
     * @param address the address clients use
     * @param accepting whether it is bound and accepting calls (not draining)
     * @param activeCalls calls in progress
     * @param connections connections open
     * @param services the services served
     * @param openPipes the pipes of calls in progress that are open now, by call id and pipe index
     *        (at most {@code asyncrpc.endpoint.max-pending-calls})
     * @param transport the Netty transport of the server's event loops: {@code epoll} or {@code nio}
     */
    public record ServerDescriptor(String address, boolean accepting, int activeCalls, int connections, List<ServiceDescriptor> services,
            List<PipeDescriptor> openPipes, String transport) {
    }

    /**
     * A service served.
     *
     * @param name the service name
     * @param operations its operations
     */
    public record ServiceDescriptor(String name, List<OperationDescriptor> operations) {
    }

    /**
     * An operation served.
     *
     * @param name the operation (method) name
     * @param async whether the implementation is asynchronous (returns a future or completes an AsyncReply)
     * @param pipes the directions of its pipe parameters in order ({@code IN} for an InPipe,
     *        {@code OUT} for an OutPipe); empty when it takes none
     */
    public record OperationDescriptor(String name, boolean async, List<PipeInfo.Direction> pipes) {
    }

    /**
     * The client of one remote service.
     *
     * @param address the target address, as configured
     * @param endpoints the endpoints calls go to now (the entries of a list, or what a name resolved to)
     * @param connection {@code CONNECTED} (a connection is open or opening) or {@code IDLE} (the next call connects)
     * @param connections connections open or opening
     * @param pendingCalls calls issued and not completed (all of them, whatever {@code pending} lists)
     * @param pending the calls the connections hold, oldest first, at most {@code asyncrpc.endpoint.max-pending-calls}
     * @param openPipes the pipes of this client's calls that are open now, by call id and pipe
     *        index (at most {@code asyncrpc.endpoint.max-pending-calls})
     * @param transport the Netty transport of the client's event loops: {@code epoll} or {@code nio}
     * @param queuedCalls of the pending calls, those held by the client and not sent yet (during a
     *        handshake, or while the server's announced maximum of concurrent calls is reached)
     */
    public record ClientDescriptor(String address, List<String> endpoints, String connection, int connections, int pendingCalls,
            List<PendingCallDescriptor> pending, List<PipeDescriptor> openPipes, String transport, int queuedCalls) {
    }

    /**
     * An open pipe end of a call in progress.
     *
     * @param operation the operation, {@code service/operation}
     * @param callId the call id on its connection
     * @param index the pipe's index among the operation's pipes
     * @param direction {@code IN} (caller to implementer) or {@code OUT} (implementer to caller)
     * @param sending whether this end sends (a caller's in-pipe, an implementer's out-pipe)
     * @param elements elements sent or received so far
     * @param bytes bytes sent or received so far, as counted against credit
     * @param window the pipe's credit window in bytes (the receiving side's setting)
     * @param unacknowledgedBytes bytes sent or received whose credit has not been returned yet
     * @param bufferedBytes encoded bytes waiting in this end: not yet sent, or not yet consumed
     * @param stalledMillis how long the sending end has waited for credit with data to send, in
     *        milliseconds (0 for a receiving end)
     */
    public record PipeDescriptor(String operation, int callId, int index, PipeInfo.Direction direction, boolean sending, long elements,
            long bytes, int window, long unacknowledgedBytes, long bufferedBytes, long stalledMillis) {
    }

    /**
     * A call a client has issued and its server has not answered.
     *
     * @param service the service name
     * @param method the operation (method) name
     * @param ageMillis how long ago it was issued, in milliseconds
     * @param state {@code PENDING}, or the final state of a call the caller stopped waiting for
     *        (cancelled abortively, deadline passed) while its server has not answered yet
     */
    public record PendingCallDescriptor(String service, String method, long ageMillis, CallState state) {
    }
}
