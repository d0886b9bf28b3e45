package dev.asyncrpc.internal.server;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link ConnectionCap} on {@link EmbeddedChannel}s, admitted while unregistered as a server's new connections are. */
class ConnectionCapTests {

    private final ConnectionCap cap = new ConnectionCap();

    private static EmbeddedChannel newConnection() {
        return new EmbeddedChannel(false, false);
    }

    @Test
    void connectionsUpToTheCapAreAdmittedAndAClosedOneMakesRoom() throws Exception {
        this.cap.max(1);
        EmbeddedChannel first = newConnection();
        assertThat(this.cap.admit(first)).isTrue();
        first.register();
        first.close().sync();
        EmbeddedChannel second = newConnection();
        assertThat(this.cap.admit(second)).isTrue();
        second.register();
        assertThat((Object) second.readOutbound()).isNull();
        assertThat(this.cap.refused()).isZero();
        second.finishAndReleaseAll();
    }

    @Test
    void aConnectionBeyondTheCapGetsAGoAwayNamingTheLimitAndIsCounted() throws Exception {
        this.cap.max(1);
        EmbeddedChannel admitted = newConnection();
        assertThat(this.cap.admit(admitted)).isTrue();
        admitted.register();
        EmbeddedChannel refused = newConnection();
        assertThat(this.cap.admit(refused)).isFalse();
        refused.register();
        ByteBuf goAway = refused.readOutbound();
        try {
            assertThat(goAway.toString(StandardCharsets.UTF_8))
                .contains("the server has reached its connection limit (maxConnections 1); try again later");
        }
        finally {
            goAway.release();
        }
        assertThat(this.cap.refused()).isEqualTo(1);
        refused.finishAndReleaseAll();
        admitted.finishAndReleaseAll();
    }
}
