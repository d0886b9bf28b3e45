package dev.asyncrpc.spring.autoconfigure.console;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import dev.asyncrpc.AsyncRpcClient;
import dev.asyncrpc.AsyncRpcServer;
import dev.asyncrpc.PendingCallInfo;
import dev.asyncrpc.PipeInfo;

/**
 * The console's live view, read on every refresh of the page: the pending calls of every client
 * (the imported services' and the console's own) with their age, the open pipes of the server and
 * of the clients with their byte counts (the page turns successive counts into bytes/s), and the
 * per-operation call counts and latency percentiles from the Micrometer registry.
 */
final class ConsoleLiveView {

    private final ConsoleCatalog catalog;

    private final Supplier<Map<String, AsyncRpcClient>> consoleClient;

    private final Supplier<List<Map<String, Object>>> operationStats;

    private final int maxListed;

    /**
     * @param catalog the server and the imported clients
     * @param consoleClient the console's own client, by a display name, if it has one yet
     * @param operationStats per-operation statistics (empty without a meter registry)
     * @param maxListed the most pending calls and open pipes listed per client and for the server
     */
    ConsoleLiveView(ConsoleCatalog catalog, Supplier<Map<String, AsyncRpcClient>> consoleClient,
            Supplier<List<Map<String, Object>>> operationStats, int maxListed) {
        this.catalog = catalog;
        this.consoleClient = consoleClient;
        this.operationStats = operationStats;
        this.maxListed = maxListed;
    }

    Map<String, Object> snapshot() {
        Map<String, Object> live = new LinkedHashMap<>();
        live.put("timeMillis", System.currentTimeMillis());
        AsyncRpcServer server = this.catalog.server();
        if (server != null) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("activeCalls", server.activeCalls());
            s.put("connections", server.connections());
            s.put("openPipes", pipes("server", server.openPipes()));
            live.put("server", s);
        }
        List<Map<String, Object>> pending = new ArrayList<>();
        List<Map<String, Object>> pipes = new ArrayList<>();
        Map<String, AsyncRpcClient> clients = new LinkedHashMap<>(this.catalog.clients());
        clients.putAll(this.consoleClient.get());
        clients.forEach((name, client) -> {
            for (PendingCallInfo call : client.pendingCallSnapshot().stream().limit(this.maxListed).toList()) {
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("client", name);
                p.put("service", call.service());
                p.put("operation", call.operation());
                p.put("ageMillis", call.age().toMillis());
                p.put("state", call.state().name());
                pending.add(p);
            }
            pipes.addAll(pipes(name, client.openPipes()));
        });
        live.put("pendingCalls", pending);
        live.put("clientPipes", pipes);
        live.put("operations", this.operationStats.get());
        return live;
    }

    private List<Map<String, Object>> pipes(String owner, List<PipeInfo> open) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (PipeInfo pipe : open.stream().limit(this.maxListed).toList()) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("key", owner + "/" + pipe.callId() + "/" + pipe.index());
            p.put("owner", owner);
            p.put("operation", pipe.operation());
            p.put("callId", pipe.callId());
            p.put("index", pipe.index());
            p.put("direction", pipe.direction().name());
            p.put("sending", pipe.sending());
            p.put("elements", pipe.elements());
            p.put("bytes", pipe.bytes());
            p.put("stalledMillis", pipe.stalled().toMillis());
            list.add(p);
        }
        return list;
    }
}
