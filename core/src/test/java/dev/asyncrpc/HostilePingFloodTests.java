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
 * Hostile peer (issue 10, acceptance 1): 2,000,000 PINGs whose PONGs are never read. The rules
 * every attack of the suite follows (forked {@code -Xmx256m} server, probe answered within 2 s
 * throughout, heap back within 20%, no {@code OutOfMemoryError}, no leak) are in {@link
 * dev.asyncrpc.test.HostileScenario}.
 */
class HostilePingFloodTests {

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void pingsWhosePongsAreNeverRead() throws Exception {
        int pings = Integer.getInteger("asyncrpc.hostile.pings", 2_000_000);
        scenario("ping flood", server -> {
            RawPeer peer = RawPeer.connect(server.port(), 16 * MIB, 64 * 1024);
            AtomicLong written = new AtomicLong();
            String outcome = writeFor(List.of(writer(peer, pings, 10_000, RawPeer::ping, written)), written);
            Stats during = server.stats();
            peer.close();
            return String.format("%,d PINGs written of %,d without reading a PONG: %s; during: %s", written.get(), pings, outcome, during);
        });
    }
}
