package dev.asyncrpc.test;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

import dev.asyncrpc.InPipe;
import dev.asyncrpc.OutPipe;

/** A plain implementation of {@link Bulk}: iterates its in-pipe, pushes with a few sends in flight. */
public class BulkEndpoint implements Bulk {

    @Override
    public Digest upload(InPipe<byte[]> chunks) {
        long bytes = 0;
        long n = 0;
        long sum = 17;
        for (byte[] chunk : chunks) {
            bytes += chunk.length;
            n++;
            sum = Digest.checksum(sum, chunk);
        }
        return new Digest(bytes, n, sum);
    }

    @Override
    public void download(long bytes, int chunkSize, OutPipe<byte[]> chunks) {
        pushAll(chunks::push, bytes, chunkSize);
        chunks.close().toCompletableFuture().join();
    }

    /** Something to push a chunk into. */
    public interface Sink {
        java.util.concurrent.CompletionStage<Void> push(byte[] chunk);
    }

    /**
     * Push {@code bytes} bytes in chunks, keeping about 1 MiB (at least 16 pushes) in flight and
     * reusing their arrays once their stages complete (a pushed array is not modified before its
     * stage completes).
     * @return the checksum of what was pushed
     */
    public static long pushAll(Sink sink, long bytes, int chunkSize) {
        int inFlight = Math.max(16, (1 << 20) / chunkSize);
        byte[][] arrays = new byte[inFlight + 1][];
        ArrayDeque<CompletableFuture<Void>> pending = new ArrayDeque<>();
        long sum = 17;
        long n = 0;
        for (long sent = 0; sent < bytes; sent += chunkSize, n++) {
            int size = (int) Math.min(chunkSize, bytes - sent);
            int slot = (int) (n % arrays.length);
            if (arrays[slot] == null || arrays[slot].length != size) {
                arrays[slot] = new byte[size];
            }
            byte[] chunk = arrays[slot];
            Digest.fill(chunk, n);
            sum = Digest.checksum(sum, chunk);
            pending.add(sink.push(chunk).toCompletableFuture());
            if (pending.size() >= inFlight) {
                pending.poll().join();
            }
        }
        for (CompletableFuture<Void> f : pending) {
            f.join();
        }
        return sum;
    }
}
