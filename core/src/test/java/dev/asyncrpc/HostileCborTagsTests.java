package dev.asyncrpc;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.asyncrpc.test.RawPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static dev.asyncrpc.test.HostileScenario.MIB;
import static dev.asyncrpc.test.HostileScenario.scenario;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile peer (issue 10, acceptance 1): An argument of 800,000 nested CBOR tags, refused in less
 * than 1 s. The rules every attack of the suite follows (forked {@code -Xmx256m} server, probe
 * answered within 2 s throughout, heap back within 20%, no {@code OutOfMemoryError}, no leak) are
 * in {@link dev.asyncrpc.test.HostileScenario}.
 */
class HostileCborTagsTests {

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void deeplyNestedCborTagsAreRefusedQuickly() throws Exception {
        int tags = Integer.getInteger("asyncrpc.hostile.cbor-tags", 800_000);
        scenario("nested CBOR tags", server -> {
            List<Long> millis = new ArrayList<>();
            List<String> answers = new ArrayList<>();
            try (RawPeer peer = RawPeer.connect(server.port(), 16 * MIB, 0)) {
                byte[] argument = RawPeer.cborTags(tags, RawPeer.cborText("x"));
                for (int i = 1; i <= 5; i++) {
                    long t0 = System.nanoTime();
                    peer.send(RawPeer.call(i, "hostile/greet", argument));
                    byte[] answer = peer.readFrame();
                    long ms = (System.nanoTime() - t0) / 1_000_000;
                    millis.add(ms);
                    assertThat(answer[4]).as("answer type").isEqualTo((byte) RawPeer.ERROR);
                    answers.add(RawPeer.status(answer) + " " + RawPeer.message(answer));
                    assertThat(RawPeer.status(answer)).as("status of %s", answers).isEqualTo(Status.INVALID_ARGUMENT.code());
                    assertThat(ms).as("ms to refuse %,d nested tags", tags).isLessThan(1_000);
                }
                peer.send(RawPeer.call(6, "hostile/greet", RawPeer.cborText("after")));
                byte[] reply = peer.readFrame();
                assertThat(reply[4]).as("a normal call on the same connection afterwards").isEqualTo((byte) RawPeer.REPLY);
                assertThat(RawPeer.decodeText(reply, 10)).isEqualTo("Hello, after!");
            }
            return String.format("greet(%,d nested tags) x 5, refused in %s ms: %s", tags, millis, answers.get(0));
        });
    }
}
