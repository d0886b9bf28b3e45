package dev.asyncrpc.test;

import dev.asyncrpc.InPipe;
import dev.asyncrpc.OutPipe;
import dev.asyncrpc.RemoteService;

/** Bulk transfer through pipes: the implementer's (plain) view. */
@RemoteService("bulk")
public interface Bulk {

    /** Read every chunk; the result is the byte count and a checksum of the data. */
    Digest upload(InPipe<byte[]> chunks);

    /** Send {@code bytes} bytes in chunks of {@code chunkSize}, filled as {@link Digest#fill} does. */
    void download(long bytes, int chunkSize, OutPipe<byte[]> chunks);

    /** What a receiver saw. */
    record Digest(long bytes, long chunks, long checksum) {

        /** Mark chunk number {@code n}: its number in its first and last 8 bytes (cheap, so that it does not dominate). */
        public static void fill(byte[] chunk, long n) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(chunk);
            b.putLong(0, n * 0x9E3779B97F4A7C15L);
            b.putLong(chunk.length - 8, ~n);
        }

        /** A position-sensitive checksum of the marks of a chunk. */
        public static long checksum(long acc, byte[] chunk) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(chunk);
            return (acc * 1_000_003) ^ b.getLong(0) ^ (b.getLong(chunk.length - 8) * 31) ^ chunk.length;
        }
    }
}
