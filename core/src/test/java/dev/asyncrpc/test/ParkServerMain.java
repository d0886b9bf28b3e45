package dev.asyncrpc.test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.time.Duration;

import dev.asyncrpc.AsyncRpcServer;

/**
 * A server in its own JVM for the keepalive tests: serves {@link ConnProbe} on a free loopback port with
 * keepalive interval and timeout of {@code args[0]} and {@code args[1]} ms, prints {@code PORT <n>},
 * runs until its standard input ends.
 */
public final class ParkServerMain {

    public static void main(String[] args) throws Exception {
        Duration interval = Duration.ofMillis(Long.parseLong(args[0]));
        Duration timeout = Duration.ofMillis(Long.parseLong(args[1]));
        try (AsyncRpcServer server = AsyncRpcServer.builder().host("127.0.0.1").port(0).keepAlive(interval, timeout)
                .service(new ConnProbeEndpoint()).build().start()) {
            System.out.println("PORT " + server.port());
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
            while (in.readLine() != null) {
                // run until the parent closes our input
            }
        }
    }
}
