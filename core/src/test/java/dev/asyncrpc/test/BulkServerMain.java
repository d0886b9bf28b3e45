package dev.asyncrpc.test;

import java.io.BufferedReader;
import java.io.InputStreamReader;

import dev.asyncrpc.AsyncRpcServer;

/**
 * The implementer's process of the forked pipe tests: serves {@link Bulk} on a free loopback port,
 * prints {@code PORT <n>}, runs until its standard input ends, then prints its memory figures.
 * With an argument, serves TLS with the server key of the {@link TestCertificates} in that directory.
 */
public final class BulkServerMain {

    public static void main(String[] args) throws Exception {
        HeapWatch watch = new HeapWatch();
        AsyncRpcServer.Builder builder = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(new BulkEndpoint());
        if (args.length > 0) {
            builder.tls(TestCertificates.at(java.nio.file.Path.of(args[0])).context("server"), AsyncRpcServer.ClientAuth.NONE);
        }
        try (AsyncRpcServer server = builder.build().start()) {
            System.out.println("PORT " + server.port());
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
            while (in.readLine() != null) {
                // run until the parent closes our input
            }
        }
        System.out.println(watch.report());
        System.out.flush();
    }
}
