package dev.asyncrpc;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.asyncrpc.test.ForkedServer.Stats;
import dev.asyncrpc.test.RawPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static dev.asyncrpc.test.HostileScenario.HOLD_MILLIS;
import static dev.asyncrpc.test.HostileScenario.MIB;
import static dev.asyncrpc.test.HostileScenario.closeAll;
import static dev.asyncrpc.test.HostileScenario.scenario;

/**
 * Hostile peer (issue 10, acceptance 1): 200 calls of a plain implementation parked on empty in-
 * pipes. The rules every attack of the suite follows (forked {@code -Xmx256m} server, probe
 * answered within 2 s throughout, heap back within 20%, no {@code OutOfMemoryError}, no leak) are
 * in {@link dev.asyncrpc.test.HostileScenario}.
 */
class HostileParkedCallsTests {

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void callsParkedOnEmptyInPipes() throws Exception {
        int connections = Integer.getInteger("asyncrpc.hostile.parked-connections", 20);
        int perConnection = Integer.getInteger("asyncrpc.hostile.parked-calls", 10);
        scenario("parked calls", server -> {
            List<RawPeer> peers = new ArrayList<>();
            for (int c = 0; c < connections; c++) {
                RawPeer peer = RawPeer.connect(server.port(), 16 * MIB, 0).startCounting();
                peers.add(peer);
                java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
                for (int i = 1; i <= perConnection; i++) {
                    b.writeBytes(RawPeer.call(i, "hostile/count")); // the in-pipe is the only parameter: no argument, and no pipe data follows
                }
                peer.send(b.toByteArray());
            }
            Thread.sleep(HOLD_MILLIS); // the attack's duration: calls stay parked while the probe calls
            Stats during = server.stats();
            long refused = peers.stream().mapToLong(p -> p.errors(Status.RESOURCE_EXHAUSTED.code())).sum();
            long errors = peers.stream().mapToLong(p -> p.frames(RawPeer.ERROR)).sum();
            closeAll(peers);
            return String.format("%d connections x %d count(InPipe) calls sending no pipe data: %d refused RESOURCE_EXHAUSTED, %d errors in all;"
                    + " during: %s", connections, perConnection, refused, errors, during);
        });
    }
}
