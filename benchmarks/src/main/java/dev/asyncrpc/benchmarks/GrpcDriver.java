package dev.asyncrpc.benchmarks;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

import io.grpc.CallOptions;
import io.grpc.Drainable;
import io.grpc.KnownLength;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;

/**
 * grpc-java unary calls with a {@code byte[]} marshaller (no protobuf), on grpc-netty-shaded over
 * plaintext HTTP/2. With {@code direct}, both server and channel use {@code directExecutor()}
 * (callbacks on the Netty event loops: grpc's fastest setting); otherwise grpc's default executors.
 */
final class GrpcDriver implements Driver {

    /** Marshals {@code byte[]} as-is; the stream it returns is KnownLength and Drainable, grpc's fast path. */
    static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {

        @Override
        public InputStream stream(byte[] value) {
            return new BytesStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                if (stream instanceof KnownLength) {
                    // grpc hands over a KnownLength stream: read exactly, without readAllBytes' 8 KiB chunks
                    byte[] b = new byte[stream.available()];
                    int n = stream.readNBytes(b, 0, b.length);
                    if (n != b.length) {
                        throw new IOException("short message: " + n + " of " + b.length + " bytes");
                    }
                    return b;
                }
                return stream.readAllBytes();
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
    };

    static final MethodDescriptor<byte[], byte[]> ECHO = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(MethodDescriptor.generateFullMethodName("bench", "echo"))
            .setRequestMarshaller(BYTES)
            .setResponseMarshaller(BYTES)
            .build();

    private static final class BytesStream extends ByteArrayInputStream implements KnownLength, Drainable {

        BytesStream(byte[] bytes) {
            super(bytes);
        }

        @Override
        public int drainTo(OutputStream target) throws IOException {
            int n = this.count - this.pos;
            target.write(this.buf, this.pos, n);
            this.pos = this.count;
            return n;
        }
    }

    private final boolean direct;
    private Server server;
    private ManagedChannel channel;

    /** @param direct whether server and channel use {@code directExecutor()} */
    GrpcDriver(boolean direct) {
        this.direct = direct;
    }

    @Override
    public String name() {
        return this.direct ? "grpc-direct" : "grpc";
    }

    @Override
    public String description() {
        return "grpc-java " + io.grpc.internal.GrpcUtil.IMPLEMENTATION_VERSION
                + " unary, byte[] marshaller, shaded Netty " + (shadedEpoll() ? "epoll" : "nio") + ", " + (this.direct ? "directExecutor() on server and channel" : "default executors");
    }

    /** Whether grpc-netty-shaded's own epoll transport (which it prefers) is usable here. */
    static boolean shadedEpoll() {
        try {
            return (Boolean) Class.forName("io.grpc.netty.shaded.io.netty.channel.epoll.Epoll").getMethod("isAvailable").invoke(null);
        }
        catch (ReflectiveOperationException | LinkageError ex) {
            return false;
        }
    }

    @Override
    public void start() throws IOException {
        ServerServiceDefinition service = ServerServiceDefinition.builder("bench")
                .addMethod(ECHO, ServerCalls.asyncUnaryCall((byte[] request, StreamObserver<byte[]> response) -> {
                    response.onNext(request);
                    response.onCompleted();
                }))
                .build();
        NettyServerBuilder sb = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(service);
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
    public void call(byte[] payload, Callback callback) {
        ClientCalls.asyncUnaryCall(this.channel.newCall(ECHO, CallOptions.DEFAULT), payload, new Observer(callback));
    }

    private static final class Observer implements StreamObserver<byte[]> {

        private final Callback callback;
        private byte[] value;

        Observer(Callback callback) {
            this.callback = callback;
        }

        @Override
        public void onNext(byte[] value) {
            this.value = value;
        }

        @Override
        public void onError(Throwable t) {
            this.callback.done(null, t);
        }

        @Override
        public void onCompleted() {
            this.callback.done(this.value, null);
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
