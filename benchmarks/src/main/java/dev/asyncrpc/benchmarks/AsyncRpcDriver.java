package dev.asyncrpc.benchmarks;

import java.util.concurrent.CompletableFuture;

import dev.asyncrpc.AsyncRemote;
import dev.asyncrpc.AsyncRpcClient;
import dev.asyncrpc.AsyncRpcServer;
import dev.asyncrpc.RemoteService;

/**
 * asyncrpc with its defaults: the caller's view {@link EchoAsync} returns a {@code CompletableFuture};
 * the implementation is either asynchronous ({@link AsyncEcho}, returns a completed future) or plain
 * ({@link Echo}, runs on the server's worker pool).
 */
final class AsyncRpcDriver implements Driver {

    /** The contract; a plain implementation implements it. */
    @RemoteService("bench")
    public interface Echo {

        byte[] echo(byte[] payload);
    }

    /** The caller's asynchronous view of the same operation (same bytes on the wire). */
    @RemoteService("bench")
    public interface EchoAsync {

        @AsyncRemote
        CompletableFuture<byte[]> echo(byte[] payload);
    }

    /** The implementer's asynchronous view of the same operation. */
    @RemoteService("bench")
    public interface AsyncEcho {

        @AsyncRemote
        CompletableFuture<byte[]> echo(byte[] payload);
    }

    static final class AsyncEchoImpl implements AsyncEcho {

        @Override
        public CompletableFuture<byte[]> echo(byte[] payload) {
            return CompletableFuture.completedFuture(payload);
        }
    }

    static final class EchoImpl implements Echo {

        @Override
        public byte[] echo(byte[] payload) {
            return payload;
        }
    }

    private final boolean asyncServer;
    private final boolean direct;
    private final boolean plainCaller;
    private final boolean inline;
    private Echo plain;
    private AsyncRpcServer server;
    private AsyncRpcClient client;
    private EchoAsync echo;

    /** @param asyncServer whether the server implementation is asynchronous */
    AsyncRpcDriver(boolean asyncServer) {
        this(asyncServer, false);
    }

    /**
     * @param asyncServer whether the server implementation is asynchronous
     * @param direct whether to use the opt-in direct modes (async dispatch and completion on the
     *        event loops), the counterpart of grpc's directExecutor()
     */
    AsyncRpcDriver(boolean asyncServer, boolean direct) {
        this(asyncServer, direct, false);
    }

    /**
     * @param asyncServer whether the server implementation is asynchronous
     * @param direct whether to use the opt-in direct modes
     * @param plainCaller whether the caller is plain: it blocks on {@link Echo} (measured at W=1 only)
     */
    AsyncRpcDriver(boolean asyncServer, boolean direct, boolean plainCaller) {
        this(asyncServer, direct, plainCaller, true);
    }

    /**
     * @param asyncServer whether the server implementation is asynchronous
     * @param direct whether to use the opt-in direct modes
     * @param plainCaller whether the caller is plain
     * @param inline whether the server keeps its default inline dispatch; {@code false} sets its limit to 0, so that
     *        an asynchronous implementation always runs on a worker (the default before inline dispatch)
     */
    AsyncRpcDriver(boolean asyncServer, boolean direct, boolean plainCaller, boolean inline) {
        this.asyncServer = asyncServer;
        this.direct = direct;
        this.plainCaller = plainCaller;
        this.inline = inline;
    }

    @Override
    public boolean blocking() {
        return this.plainCaller;
    }

    @Override
    public String name() {
        return this.plainCaller ? "asyncrpc-plain" : this.direct ? "asyncrpc-direct" : !this.inline ? "asyncrpc-workers" : this.asyncServer ? "asyncrpc" : "asyncrpc-sync";
    }

    @Override
    public String description() {
        return (this.asyncServer ? "async implementation (completed CompletableFuture)" : "plain implementation (server worker pool)")
                + (this.plainCaller ? ", plain (blocking) caller" : ", CompletableFuture caller") + ", " + (this.direct ? "directDispatch + directCompletion (event loops)"
                        : this.inline ? "builder defaults" : "builder defaults but inlineDispatchLimit(0): the implementation always on a worker");
    }

    @Override
    public void start() {
        Object impl = this.asyncServer ? new AsyncEchoImpl() : new EchoImpl();
        AsyncRpcServer.Builder builder = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(impl).directDispatch(this.direct);
        if (!this.inline) {
            builder.inlineDispatchLimit(java.time.Duration.ZERO);
        }
        this.server = builder.build().start();
        this.client = AsyncRpcClient.builder().address("127.0.0.1:" + this.server.port()).directCompletion(this.direct).build();
        this.echo = this.client.proxy(EchoAsync.class);
        this.plain = this.client.proxy(Echo.class);
    }

    @Override
    public void call(byte[] payload, Callback callback) {
        if (!this.plainCaller) {
            this.echo.echo(payload).whenComplete(callback::done);
            return;
        }
        byte[] reply;
        try {
            reply = this.plain.echo(payload);
        }
        catch (RuntimeException ex) {
            callback.done(null, ex);
            return;
        }
        callback.done(reply, null);
    }

    @Override
    public void close() {
        if (this.client != null) {
            this.client.close();
        }
        if (this.server != null) {
            this.server.close();
        }
    }
}
