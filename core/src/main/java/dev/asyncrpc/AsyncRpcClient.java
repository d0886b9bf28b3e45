package dev.asyncrpc;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;

import dev.asyncrpc.internal.Threads;
import dev.asyncrpc.internal.client.ClientBinding;
import dev.asyncrpc.internal.client.ClientProxy;
import dev.asyncrpc.internal.client.ClientRuntime;
import dev.asyncrpc.internal.codec.Codecs;
import dev.asyncrpc.internal.protocol.Settings;
import dev.asyncrpc.internal.transport.Endpoint;

/**
 * An asyncrpc client without Spring: one target address, one multiplexed connection (reopened on
 * the next call after a failure), and proxies for {@code @RemoteService} interfaces.
 * <pre>{@code
 * AsyncRpcClient client = AsyncRpcClient.builder().address("127.0.0.1:7443").build();
 * InventoryAsync inventory = client.proxy(InventoryAsync.class);
 * }</pre>
 * Closing the client fails its pending calls with {@link Status#UNAVAILABLE}; later calls throw.
 */
public final class AsyncRpcClient implements AutoCloseable {

    private final ClientRuntime runtime;
    private final ClientBinding binding;

    private AsyncRpcClient(ClientRuntime runtime, ClientBinding binding) {
        this.runtime = runtime;
        this.binding = binding;
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
        return ClientProxy.create(type, this.binding, this.runtime);
    }

    /**
     * The pipes of this client's calls that are open now: a read-only snapshot.
     * @return one entry per open pipe end, by call id and pipe index
     */
    public List<PipeInfo> openPipes() {
        return this.runtime.pipes().snapshot();
    }

    /**
     * The target address.
     * @return the address
     */
    public String address() {
        return this.binding.endpoint().toString();
    }

    @Override
    public void close() {
        this.runtime.close();
    }

    /** Builds an {@link AsyncRpcClient}; every setting is checked when set. */
    public static final class Builder {

        private Endpoint endpoint;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration handshakeTimeout = Duration.ofSeconds(10);
        private Settings settings = Settings.DEFAULTS;
        private ExecutorService executor;
        private int ioThreads = 1;

        private Builder() {
        }

        /**
         * Where to call: {@code host:port}, {@code local:name} (in-JVM) or {@code unix:/path}.
         * @param address the address
         * @return this builder
         */
        public Builder address(String address) {
            this.endpoint = Endpoint.parse(address);
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
         * The largest frame accepted from the server, in bytes. Default 16 MiB.
         * @param bytes the size
         * @return this builder
         */
        public Builder maxFrameSize(int bytes) {
            if (bytes < Settings.MIN_FRAME_SIZE) {
                throw new IllegalArgumentException("maxFrameSize: " + bytes + " (expected: >= " + Settings.MIN_FRAME_SIZE + ")");
            }
            this.settings = this.settings.withMaxFrameSize(bytes);
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
            if (bytes < Settings.MIN_FRAME_SIZE) {
                throw new IllegalArgumentException("pipeWindow: " + bytes + " (expected: >= " + Settings.MIN_FRAME_SIZE + ")");
            }
            this.settings = this.settings.withInitialPipeWindow(bytes);
            return this;
        }

        /**
         * The executor that completes calls (runs non-async future callbacks). The caller keeps
         * ownership. Default: a small pool owned by the client.
         * @param executor the executor
         * @return this builder
         */
        public Builder executor(ExecutorService executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * Netty event loop threads. Default 1.
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
         * @throws IllegalStateException if no address was set
         */
        public AsyncRpcClient build() {
            if (this.endpoint == null) {
                throw new IllegalStateException("address: not set (expected: host:port, local:name or unix:/path)");
            }
            boolean owns = this.executor == null;
            ExecutorService exec = owns ? Threads.pool("asyncrpc-client", Math.max(2, Runtime.getRuntime().availableProcessors())) : this.executor;
            ClientRuntime runtime = new ClientRuntime(this.settings, this.connectTimeout, this.handshakeTimeout, this.ioThreads,
                    exec, owns, new Codecs());
            return new AsyncRpcClient(runtime, new ClientBinding(runtime, this.endpoint));
        }
    }
}
