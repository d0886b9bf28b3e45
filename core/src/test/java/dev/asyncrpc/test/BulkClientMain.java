package dev.asyncrpc.test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.asyncrpc.AsyncRpcClient;
import dev.asyncrpc.InPipe;
import dev.asyncrpc.OutPipe;

/**
 * The caller's process of the forked pipe tests: uploads {@code bytes} through an in-pipe and
 * downloads as many through an out-pipe, in chunks, checks both, prints the throughput and its
 * memory figures; exits 1 on any failure. Arguments: address, bytes, chunk size, rounds (1), and
 * optionally a {@link TestCertificates} directory to connect with TLS.
 */
public final class BulkClientMain {

    public static void main(String[] args) throws Exception {
        String address = args[0];
        long bytes = Long.parseLong(args[1]);
        int chunk = Integer.parseInt(args[2]);
        int rounds = (args.length > 3) ? Integer.parseInt(args[3]) : 1;
        HeapWatch watch = new HeapWatch();
        AsyncRpcClient.Builder builder = AsyncRpcClient.builder().address(address);
        if (args.length > 4) {
            builder.tls(TestCertificates.at(java.nio.file.Path.of(args[4])).context(null));
        }
        try (AsyncRpcClient client = builder.build()) {
            BulkAsync bulk = client.proxy(BulkAsync.class);
            for (int round = 0; round < rounds; round++) {
                transfer(bulk, bytes, chunk);
            }
        }
        System.out.println(watch.report());
        System.out.flush();
    }

    private static void transfer(BulkAsync bulk, long bytes, int chunk) throws Exception {
        {

            long t0 = System.nanoTime();
            InPipe<byte[]> up = InPipe.create();
            CompletableFuture<Bulk.Digest> upload = bulk.upload(up);
            long sum = BulkEndpoint.pushAll(up::push, bytes, chunk);
            up.close();
            Bulk.Digest digest = upload.get(10, TimeUnit.MINUTES);
            long t1 = System.nanoTime();
            if (digest.bytes() != bytes || digest.checksum() != sum) {
                fail("upload: sent " + bytes + " bytes (checksum " + sum + "), the implementer saw " + digest);
            }

            OutPipe<byte[]> down = OutPipe.create();
            CompletableFuture<Void> download = bulk.download(bytes, chunk, down);
            long got = 0;
            long n = 0;
            long check = 17;
            byte[] expected = new byte[chunk];
            for (byte[] c : down) {
                if (c.length == chunk) {
                    Bulk.Digest.fill(expected, n);
                    if (Bulk.Digest.checksum(0, c) != Bulk.Digest.checksum(0, expected)) {
                        fail("download: chunk " + n + " has the wrong content");
                    }
                }
                check = Bulk.Digest.checksum(check, c);
                got += c.length;
                n++;
            }
            download.get(10, TimeUnit.MINUTES);
            long t2 = System.nanoTime();
            if (got != bytes) {
                fail("download: expected " + bytes + " bytes, got " + got);
            }
            System.out.printf("IN_MIBS %.0f OUT_MIBS %.0f%n", mibs(bytes, t1 - t0), mibs(bytes, t2 - t1));
        }
    }

    private static double mibs(long bytes, long nanos) {
        return bytes / 1048576.0 / (nanos / 1e9);
    }

    private static void fail(String message) {
        System.out.println("FAILED " + message);
        System.out.flush();
        System.exit(1);
    }
}
