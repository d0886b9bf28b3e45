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

        /** Fill chunk number {@code n} with its pattern. */
        public static void fill(byte[] chunk, long n) {
            long v = n * 0x9E3779B97F4A7C15L;
            for (int i = 0; i < chunk.length; i += 8) {
                chunk[i] = (byte) v;
                v = v * 31 + 7;
            }
        }

        /** A cheap position-sensitive checksum over the first byte of every 8. */
        public static long checksum(long acc, byte[] chunk) {
            long h = acc;
            for (int i = 0; i < chunk.length; i += 8) {
                h = h * 1_000_003 + chunk[i];
            }
            return h;
        }
    }
}
