package dev.asyncrpc.test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.asyncrpc.AsyncRpcClient;
import dev.asyncrpc.AsyncRpcServer;
import dev.asyncrpc.InPipe;
import dev.asyncrpc.OutPipe;

/**
 * A quick in-process throughput check, not a test: 1 GiB each way in 64 KiB chunks over TCP loopback,
 * each round followed by the same transfer over plain Netty ({@link RawNettyStreamMain}) for a reference.
 */
public final class PipeBenchmarkMain {

    public static void main(String[] args) throws Exception {
        long bytes = (args.length > 0) ? Long.parseLong(args[0]) : 1L << 30;
        int chunk = (args.length > 1) ? Integer.parseInt(args[1]) : 64 * 1024;
        int rounds = (args.length > 2) ? Integer.parseInt(args[2]) : 3;
        try (AsyncRpcServer server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(new BulkEndpoint()).build().start();
                AsyncRpcClient client = AsyncRpcClient.builder().address(server.address()).build()) {
            BulkAsync bulk = client.proxy(BulkAsync.class);
            for (int r = 0; r < rounds; r++) {
                long c0 = cpu();
                long t0 = System.nanoTime();
                InPipe<byte[]> in = InPipe.create();
                CompletableFuture<Bulk.Digest> up = bulk.upload(in);
                long sum = BulkEndpoint.pushAll(in::push, bytes, chunk);
                in.close();
                Bulk.Digest d = up.get(5, TimeUnit.MINUTES);
                long t1 = System.nanoTime();
                long c1 = cpu();
                check(d.bytes() == bytes && d.checksum() == sum, "upload digest " + d);
                OutPipe<byte[]> out = OutPipe.create();
                CompletableFuture<Void> down = bulk.download(bytes, chunk, out);
                long got = 0;
                for (byte[] c : out) {
                    got += c.length;
                }
                down.get(5, TimeUnit.MINUTES);
                long t2 = System.nanoTime();
                long c2 = cpu();
                check(got == bytes, "download bytes " + got);
                double raw = RawNettyStreamMain.run(bytes, chunk);
                long c3 = cpu();
                System.out.printf("round %d: in-pipe %.0f MiB/s, out-pipe %.0f MiB/s, raw netty %.0f MiB/s; CPU ms per GiB: in %d out %d raw %d%n", r,
                        mibs(bytes, t1 - t0), mibs(bytes, t2 - t1), raw, perGib(c1 - c0, bytes), perGib(c2 - c1, bytes), perGib(c3 - c2, bytes));
            }
        }
    }

    private static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static long perGib(long cpuNanos, long bytes) {
        return cpuNanos / 1_000_000 * (1L << 30) / bytes;
    }

    static double mibs(long bytes, long nanos) {
        return bytes / 1048576.0 / (nanos / 1e9);
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("wrong " + what);
        }
    }
}
