package dev.asyncrpc.benchmarks;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;

/**
 * grpc-java client streaming with the {@code byte[]} marshaller of {@link GrpcDriver}, on
 * grpc-netty-shaded over plaintext HTTP/2 with grpc's default flow-control window. The client sends
 * from its {@code onReadyHandler} while {@code isReady()} (grpc's flow-control contract); the server
 * counts the bytes and replies with the count. With {@code direct}, both server and channel use
 * {@code directExecutor()}; otherwise grpc's default executors.
 */
final class GrpcStreamDriver implements StreamDriver {

    static final MethodDescriptor<byte[], byte[]> UPLOAD = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.CLIENT_STREAMING)
            .setFullMethodName(MethodDescriptor.generateFullMethodName("bench", "upload"))
            .setRequestMarshaller(GrpcDriver.BYTES)
            .setResponseMarshaller(GrpcDriver.BYTES)
            .build();

    private final boolean direct;
    private Server server;
    private ManagedChannel channel;

    /** @param direct whether server and channel use {@code directExecutor()} */
    GrpcStreamDriver(boolean direct) {
        this.direct = direct;
    }

    @Override
    public String name() {
        return this.direct ? "grpc-direct" : "grpc";
    }

    @Override
    public String description() {
        return "grpc-java " + io.grpc.internal.GrpcUtil.IMPLEMENTATION_VERSION + " client streaming, byte[] marshaller, shaded Netty "
                + (GrpcDriver.shadedEpoll() ? "epoll" : "nio") + ", client sends on onReadyHandler while isReady(), "
                + (this.direct ? "directExecutor() on server and channel" : "default executors");
    }

    @Override
    public void start() throws Exception {
        ServerServiceDefinition service = ServerServiceDefinition.builder("bench")
                .addMethod(UPLOAD, ServerCalls.asyncClientStreamingCall(response -> new StreamObserver<byte[]>() {
                    private long bytes;

                    @Override
                    public void onNext(byte[] value) {
                        this.bytes += value.length;
                    }

                    @Override
                    public void onError(Throwable t) {
                    }

                    @Override
                    public void onCompleted() {
                        response.onNext(ByteBuffer.allocate(8).putLong(this.bytes).array());
                        response.onCompleted();
                    }
                }))
                .build();
        NettyServerBuilder sb = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(service)
                .maxInboundMessageSize(Integer.MAX_VALUE);
        if (this.direct) {
            sb.directExecutor();
        }
        this.server = sb.build().start();
        NettyChannelBuilder cb = NettyChannelBuilder.forAddress("127.0.0.1", this.server.getPort()).usePlaintext();
        if (this.direct) {
            cb.directExecutor();
        }
        this.channel = cb.build();
    }

    @Override
    public long transfer(byte[] data, long bytes, long timeoutNanos) throws Exception {
        CompletableFuture<Long> result = new CompletableFuture<>();
        ClientCalls.asyncClientStreamingCall(this.channel.newCall(UPLOAD, CallOptions.DEFAULT), new Sender(data, bytes, result));
        try {
            return result.get(timeoutNanos, TimeUnit.NANOSECONDS);
        }
        catch (Exception ex) {
            result.cancel(false);
            throw ex;
        }
    }

    /** Sends chunks from the onReadyHandler while the stream is ready; completes with the server's count. */
    private static final class Sender implements ClientResponseObserver<byte[], byte[]>, Runnable {

        private final byte[] data;
        private final long bytes;
        private final CompletableFuture<Long> result;
        private ClientCallStreamObserver<byte[]> requests;
        private long sent;
        private boolean ended;

        Sender(byte[] data, long bytes, CompletableFuture<Long> result) {
            this.data = data;
            this.bytes = bytes;
            this.result = result;
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<byte[]> requests) {
            this.requests = requests;
            requests.setOnReadyHandler(this);
            this.result.whenComplete((v, ex) -> {
                if (ex != null) {
                    requests.cancel("benchmark transfer abandoned", ex);
                }
            });
        }

        /** The onReadyHandler: grpc runs it serially, on its executor. */
        @Override
        public void run() {
            int chunk = this.data.length;
            while (!this.ended && this.requests.isReady()) {
                if (this.sent >= this.bytes) {
                    this.ended = true;
                    this.requests.onCompleted();
                    return;
                }
                byte[] c = (this.bytes - this.sent >= chunk) ? this.data : Arrays.copyOf(this.data, (int) (this.bytes - this.sent));
                this.requests.onNext(c);
                this.sent += c.length;
            }
        }

        @Override
        public void onNext(byte[] value) {
            this.result.complete(ByteBuffer.wrap(value).getLong());
        }

        @Override
        public void onError(Throwable t) {
            this.result.completeExceptionally(t);
        }

        @Override
        public void onCompleted() {
            this.result.complete(-1L);
        }
    }

    @Override
    public void close() {
        try {
            if (this.channel != null) {
                this.channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
            if (this.server != null) {
                this.server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
