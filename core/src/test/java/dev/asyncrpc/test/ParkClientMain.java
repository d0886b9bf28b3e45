package dev.asyncrpc.test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.time.Duration;

import dev.asyncrpc.AsyncRpcClient;

/**
 * A client in its own JVM for the keepalive tests: connects to {@code 127.0.0.1:args[0]} with
 * keepalive interval and timeout of {@code args[1]} and {@code args[2]} ms, starts {@code args[3]}
 * {@link ConnProbe#park()} calls that never complete, prints {@code PARKED} once an echo has come back
 * after them, and runs until its standard input ends.
 */
public final class ParkClientMain {

    public static void main(String[] args) throws Exception {
        Duration interval = Duration.ofMillis(Long.parseLong(args[1]));
        Duration timeout = Duration.ofMillis(Long.parseLong(args[2]));
        try (AsyncRpcClient client = AsyncRpcClient.builder().address("127.0.0.1:" + args[0]).keepAlive(interval, timeout).build()) {
            ConnProbe probe = client.proxy(ConnProbe.class);
            int calls = Integer.parseInt(args[3]);
            for (int i = 0; i < calls; i++) {
                probe.park();
            }
            probe.echo("after"); // plain call: answered once the parked calls have reached the server
            System.out.println("PARKED");
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
            while (in.readLine() != null) {
                // run until the parent closes our input
            }
        }
    }
}
