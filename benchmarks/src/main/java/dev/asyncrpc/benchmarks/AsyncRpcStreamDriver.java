package dev.asyncrpc.benchmarks;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.asyncrpc.AsyncRemote;
import dev.asyncrpc.AsyncRpcClient;
import dev.asyncrpc.AsyncRpcServer;
import dev.asyncrpc.InPipe;
import dev.asyncrpc.RemoteService;

/**
 * asyncrpc with its defaults: an operation with an {@code InPipe<byte[]>} parameter. The caller
 * pushes chunks, keeping a bounded number of push stages in flight (about 1 MiB, at least 16
 * pushes, as core's {@code PipeBenchmarkMain}); the asynchronous implementation drains the pipe
 * with {@code pull} and {@code onAvailable} and returns the byte count.
 */
final class AsyncRpcStreamDriver implements StreamDriver {

    /** Both views of the operation: the caller's proxy and the asynchronous implementation. */
    @RemoteService("bench-stream")
    public interface Upload {

        @AsyncRemote
        CompletableFuture<Long> upload(InPipe<byte[]> chunks);
    }

    /** Drains the pipe without holding a thread between chunks; completes with the byte count. */
    static final class UploadImpl implements Upload {

        @Override
        public CompletableFuture<Long> upload(InPipe<byte[]> chunks) {
            CompletableFuture<Long> result = new CompletableFuture<>();
            new Runnable() {
                private long bytes;

                @Override
                public void run() {
                    try {
                        while (true) {
                            List<byte[]> got = chunks.pull(256);
                            if (got.isEmpty()) {
                                if (chunks.isClosed()) {
                                    result.complete(this.bytes);
                                }
                                else {
                                    chunks.onAvailable(this);
                                }
                                return;
                            }
                            for (byte[] c : got) {
                                this.bytes += c.length;
                            }
                        }
                    }
                    catch (RuntimeException ex) {
                        result.completeExceptionally(ex);
                    }
                }
            }.run();
            return result;
        }
    }

    private final int pushesInFlight;
    private AsyncRpcServer server;
    private AsyncRpcClient client;
    private Upload upload;

    /** The caller keeps max(16, 1 MiB / chunk) push stages in flight. */
    AsyncRpcStreamDriver() {
        this(0);
    }

    /**
     * @param pushesInFlight how many push stages the caller keeps in flight; 1 is the documented
     *        loop that awaits each push; 0 for max(16, 1 MiB / chunk)
     */
    AsyncRpcStreamDriver(int pushesInFlight) {
        this.pushesInFlight = pushesInFlight;
    }

    @Override
    public String name() {
        return switch (this.pushesInFlight) {
            case 0 -> "asyncrpc";
            case 1 -> "asyncrpc-await";
            default -> "asyncrpc-" + this.pushesInFlight;
        };
    }

    @Override
    public String description() {
        String caller = switch (this.pushesInFlight) {
            case 0 -> "caller keeping max(16, 1 MiB / chunk) push stages in flight";
            case 1 -> "caller awaiting each push (the documented loop)";
            default -> "caller keeping " + this.pushesInFlight + " push stages in flight";
        };
        return "InPipe<byte[]> parameter, async implementation draining with pull/onAvailable, " + caller + ", builder defaults";
    }

    @Override
    public void start() {
        this.server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(new UploadImpl()).build().start();
        this.client = AsyncRpcClient.builder().address("127.0.0.1:" + this.server.port()).build();
        this.upload = this.client.proxy(Upload.class);
    }

    @Override
    public long transfer(byte[] data, long bytes, long timeoutNanos) throws Exception {
        long deadline = System.nanoTime() + timeoutNanos;
        int chunk = data.length;
        int inFlight = (this.pushesInFlight > 0) ? this.pushesInFlight : Math.max(16, (1 << 20) / chunk);
        ArrayDeque<CompletableFuture<Void>> pending = new ArrayDeque<>();
        InPipe<byte[]> pipe = InPipe.create();
        CompletableFuture<Long> result = this.upload.upload(pipe);
        try {
            for (long sent = 0; sent < bytes; sent += chunk) {
                byte[] c = (bytes - sent >= chunk) ? data : java.util.Arrays.copyOf(data, (int) (bytes - sent));
                pending.add(pipe.push(c).toCompletableFuture());
                while (pending.size() >= inFlight) {
                    pending.poll().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                }
            }
            for (CompletableFuture<Void> f : pending) {
                f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            pipe.close();
        }
        catch (Exception ex) {
            pipe.abort(ex);
            throw ex;
        }
        return result.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
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
