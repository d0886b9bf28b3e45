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

import static dev.asyncrpc.test.ForkedServer.Stats.mib;
import static dev.asyncrpc.test.HostileScenario.ATTACKERS;
import static dev.asyncrpc.test.HostileScenario.HOLD_MILLIS;
import static dev.asyncrpc.test.HostileScenario.MIB;
import static dev.asyncrpc.test.HostileScenario.closeAll;
import static dev.asyncrpc.test.HostileScenario.scenario;
import static dev.asyncrpc.test.HostileScenario.writeFor;

/**
 * Hostile peer (issue 10, acceptance 1): 24 connections stalled 64 KiB short of the end of a 16
 * MiB frame. The rules every attack of the suite follows (forked {@code -Xmx256m} server, probe
 * answered within 2 s throughout, heap back within 20%, no {@code OutOfMemoryError}, no leak) are
 * in {@link dev.asyncrpc.test.HostileScenario}.
 */
class HostileStalledFramesTests {

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void connectionsStalledInsideLargeFrames() throws Exception {
        int connections = Integer.getInteger("asyncrpc.hostile.stalled-connections", 24);
        scenario("stalled frames", server -> {
            List<RawPeer> peers = new ArrayList<>();
            List<Future<?>> writers = new ArrayList<>();
            AtomicLong bytes = new AtomicLong();
            int length = 16 * MIB;
            for (int c = 0; c < connections; c++) {
                RawPeer peer = RawPeer.connect(server.port(), 16 * MIB, 0).startCounting();
                peers.add(peer);
                writers.add(ATTACKERS.submit(() -> {
                    byte[] header = java.nio.ByteBuffer.allocate(10).putInt(length).put((byte) RawPeer.CALL).put((byte) 0).putInt(1).array();
                    peer.send(header);
                    byte[] chunk = new byte[64 * 1024];
                    for (long sent = 6; sent < length - 64 * 1024; sent += chunk.length) {
                        peer.send(chunk);
                        bytes.addAndGet(chunk.length);
                    }
                    return null;
                }));
            }
            String outcome = writeFor(writers, bytes);
            Thread.sleep(HOLD_MILLIS); // the attack's duration: the frames stay incomplete while the probe calls
            Stats during = server.stats();
            long closed = peers.stream().filter(RawPeer::ended).count();
            closeAll(peers);
            return String.format("%d connections each stopping 64 KiB short of a 16 MiB frame: %s written (%s), %d closed by the server;"
                    + " during: %s", connections, mib(bytes.get()), outcome, closed, during);
        });
    }
}
