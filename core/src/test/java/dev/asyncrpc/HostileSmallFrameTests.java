package dev.asyncrpc;

import java.util.concurrent.TimeUnit;

import dev.asyncrpc.test.RawPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static dev.asyncrpc.test.HostileScenario.scenario;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile peer (issue 10, acceptance 1): A client announcing MAX_FRAME_SIZE 1024 asks for a
 * 2,000-byte reply: a clear ERROR, and the connection stays usable. The rules every attack of the
 * suite follows (forked {@code -Xmx256m} server, probe answered within 2 s throughout, heap back
 * within 20%, no {@code OutOfMemoryError}, no leak) are in {@link
 * dev.asyncrpc.test.HostileScenario}.
 */
class HostileSmallFrameTests {

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void replyLargerThanThePeersMaxFrameSize() throws Exception {
        scenario("small MAX_FRAME_SIZE", server -> {
            String answer;
            try (RawPeer peer = RawPeer.connect(server.port(), 1024, 0)) {
                peer.send(RawPeer.call(1, "hostile/bytes", RawPeer.cborInt(2_000)));
                byte[] error = peer.readFrame();
                assertThat(error.length - 4).as("frame length the peer receives").isLessThanOrEqualTo(1024);
                assertThat(error[4]).as("answer to a 2,000-byte reply").isEqualTo((byte) RawPeer.ERROR);
                answer = RawPeer.status(error) + " " + RawPeer.message(error);
                assertThat(RawPeer.message(error)).as("the ERROR's message names the peer's limit").contains("1024");
                for (int i = 2; i <= 20; i += 2) { // the connection stays usable
                    peer.send(RawPeer.call(i, "hostile/greet", RawPeer.cborText("again")));
                    byte[] reply = peer.readFrame();
                    assertThat(reply[4]).as("answer to greet after the refused reply").isEqualTo((byte) RawPeer.REPLY);
                    assertThat(RawPeer.decodeText(reply, 10)).isEqualTo("Hello, again!");
                    peer.send(RawPeer.call(i + 1, "hostile/bytes", RawPeer.cborInt(900)));
                    byte[] small = peer.readFrame();
                    assertThat(small[4]).as("answer to bytes(900)").isEqualTo((byte) RawPeer.REPLY);
                    assertThat(small.length - 10).as("bytes(900) reply payload").isEqualTo(900);
                }
            }
            return "bytes(2000) to a peer announcing MAX_FRAME_SIZE 1024 answered ERROR " + answer + "; 10 greet and 10 bytes(900) after it answered";
        });
    }
}
