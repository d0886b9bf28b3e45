package dev.asyncrpc;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.asyncrpc.test.ForkedServer.Stats;
import dev.asyncrpc.test.RawPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static dev.asyncrpc.test.HostileScenario.HOLD_MILLIS;
import static dev.asyncrpc.test.HostileScenario.MIB;
import static dev.asyncrpc.test.HostileScenario.closeAll;
import static dev.asyncrpc.test.HostileScenario.scenario;
import static dev.asyncrpc.test.HostileScenario.writeFor;
import static dev.asyncrpc.test.HostileScenario.writer;

/**
 * Hostile peer (issue 10, acceptance 1): 4 connections x 100,000 pending calls (a timer answers
 * them after 10 minutes). The rules every attack of the suite follows (forked {@code -Xmx256m}
 * server, probe answered within 2 s throughout, heap back within 20%, no {@code OutOfMemoryError},
 * no leak) are in {@link dev.asyncrpc.test.HostileScenario}.
 */
class HostilePendingCallsTests {

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void manyPendingCallsOnSeveralConnections() throws Exception {
        int connections = Integer.getInteger("asyncrpc.hostile.pending-connections", 4);
        int perConnection = Integer.getInteger("asyncrpc.hostile.pending-calls", 100_000);
        scenario("pending calls", server -> {
            List<RawPeer> peers = new ArrayList<>();
            List<Future<?>> writers = new ArrayList<>();
            AtomicLong written = new AtomicLong();
            byte[] name = RawPeer.cborText("attacker");
            byte[] delay = RawPeer.cborInt(600_000);
            for (int c = 0; c < connections; c++) {
                RawPeer peer = RawPeer.connect(server.port(), 16 * MIB, 0).startCounting();
                peers.add(peer);
                writers.add(writer(peer, perConnection, 1_000, id -> RawPeer.call(id + 1, "hostile/greetLater", name, delay), written));
            }
            String outcome = writeFor(writers, written);
            Thread.sleep(HOLD_MILLIS); // the attack's duration: pending calls held while the probe calls
            Stats during = server.stats();
            long refused = peers.stream().mapToLong(p -> p.errors(Status.RESOURCE_EXHAUSTED.code())).sum();
            long otherErrors = peers.stream().mapToLong(p -> p.frames(RawPeer.ERROR)).sum() - refused;
            long closed = peers.stream().filter(RawPeer::ended).count();
            String limit = String.valueOf(peers.get(0).serverSetting(2));
            closeAll(peers);
            return String.format("%d connections x %,d greetLater(10 min): %,d written (%s), %,d refused RESOURCE_EXHAUSTED, %,d other errors,"
                    + " %d connections closed by the server, MAX_CONCURRENT_CALLS announced %s; during: %s", connections, perConnection,
                    written.get(), outcome, refused, otherErrors, closed, limit, during);
        });
    }
}
