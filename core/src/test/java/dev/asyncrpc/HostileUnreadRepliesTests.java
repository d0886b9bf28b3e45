package dev.asyncrpc;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.asyncrpc.test.ForkedServer.Stats;
import dev.asyncrpc.test.RawPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static dev.asyncrpc.test.HostileScenario.MIB;
import static dev.asyncrpc.test.HostileScenario.scenario;
import static dev.asyncrpc.test.HostileScenario.writeFor;
import static dev.asyncrpc.test.HostileScenario.writer;

/**
 * Hostile peer (issue 10, acceptance 1): 400,000 calls whose replies are never read. The rules
 * every attack of the suite follows (forked {@code -Xmx256m} server, probe answered within 2 s
 * throughout, heap back within 20%, no {@code OutOfMemoryError}, no leak) are in {@link
 * dev.asyncrpc.test.HostileScenario}.
 */
class HostileUnreadRepliesTests {

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void callsWhoseRepliesAreNeverRead() throws Exception {
        int calls = Integer.getInteger("asyncrpc.hostile.unread-calls", 400_000);
        scenario("unread replies", server -> {
            RawPeer peer = RawPeer.connect(server.port(), 16 * MIB, 64 * 1024);
            AtomicLong written = new AtomicLong();
            byte[] name = RawPeer.cborText("attacker");
            String outcome = writeFor(List.of(writer(peer, calls, 1_000, id -> RawPeer.call(id + 1, "hostile/greet", name), written)), written);
            Stats during = server.stats();
            peer.close();
            return String.format("%,d greet calls written of %,d without reading a reply: %s; during: %s", written.get(), calls, outcome, during);
        });
    }
}
