package dev.asyncrpc;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import dev.asyncrpc.internal.CompletionPool;
import dev.asyncrpc.internal.client.ClientBinding;
import dev.asyncrpc.internal.client.ClientDefaults;
import dev.asyncrpc.internal.client.ClientInterceptors;
import dev.asyncrpc.internal.client.ClientRuntime;
import dev.asyncrpc.internal.codec.Codecs;
import dev.asyncrpc.internal.transport.Transports;

/**
 * Builds an {@link AsyncRpcClient} from the settings of its {@link AsyncRpcClient.Builder}: borrows
 * the event loops and completion executor of shared resources or makes its own, wires the runtime,
 * and binds it to its address (one endpoint, a list, or a name to resolve); the runtime is closed
 * again if the address cannot be bound. The builder only collects and checks settings one at a time.
 */
final class ClientAssembly {

    private ClientAssembly() {
    }

    /** @throws IllegalStateException if no address was set or the shared resources are closed */
    static AsyncRpcClient assemble(AsyncRpcClient.Builder b) {
        if (b.address == null) {
            throw new IllegalStateException("address: not set (expected: host:port, local:name or unix:/path)");
        }
        AsyncRpcResources shared = b.resources;
        if (shared != null && shared.isClosed()) {
            throw new IllegalStateException("resources: closed (expected: open AsyncRpcResources; the owner closed them)");
        }
        boolean owns = b.executor == null && shared == null;
        ExecutorService exec = (b.executor != null) ? b.executor : (shared != null) ? shared.executor()
                : new CompletionPool("asyncrpc-client", Math.max(2, Runtime.getRuntime().availableProcessors()), 60, TimeUnit.SECONDS);
        Transports transports = (shared != null) ? shared.transports() : new Transports("asyncrpc-client-io", b.ioThreads, b.transport);
        ClientDefaults defaults = new ClientDefaults(b.timeout, b.ordering, b.settings.maxMetadataSize());
        ClientRuntime runtime = new ClientRuntime(b.settings, defaults, b.connectTimeout, b.handshakeTimeout, transports, shared == null, exec,
                owns, new Codecs(b.settings.maxFrameSize()), b.sslContext, b.observer);
        runtime.directCompletion(b.directCompletion);
        runtime.options(b.options.withHandshakeTimeout(b.handshakeTimeout));
        runtime.interceptors(new ClientInterceptors(List.copyOf(b.interceptors)));
        ClientBinding binding;
        try {
            binding = ClientBinding.of(runtime, b.address, b.resolver, b.refreshInterval, b.maxAttempts);
        }
        catch (RuntimeException ex) {
            runtime.close();
            throw ex;
        }
        AsyncRpcClient client = new AsyncRpcClient(runtime, binding, shared);
        if (shared != null) {
            shared.borrow(client);
        }
        return client;
    }
}
