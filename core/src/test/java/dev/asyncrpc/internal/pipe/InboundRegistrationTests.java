package dev.asyncrpc.internal.pipe;

import java.time.Duration;

import dev.asyncrpc.PipeInfo;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How a receiving end appears in the registry: as itself, then as its unread data, then not at all. */
class InboundRegistrationTests {

    private static final PipeStats END = () -> new PipeInfo("svc/op", 1, 0, PipeInfo.Direction.OUT, false, 0, 0, 100, 0, 0, Duration.ZERO);

    @Test
    void anEndEntersOnceAndLeavesOnce() {
        PipeRegistry registry = new PipeRegistry();
        InboundRegistration r = new InboundRegistration();
        r.register(registry, END);
        assertThat(r.isRegistered()).isTrue();
        assertThat(registry.size()).isOne();
        r.unregister(END);
        r.unregister(END);
        assertThat(r.isRegistered()).isFalse();
        assertThat(registry.size()).isZero();
    }

    @Test
    void withoutARegistryNothingIsRegistered() {
        InboundRegistration r = new InboundRegistration();
        r.register(null, END);
        assertThat(r.isRegistered()).isFalse();
        r.unregister(END);
    }

    @Test
    void unreadDataTakesTheEndsPlaceUntilItIsPulled() {
        PipeRegistry registry = new PipeRegistry();
        InboundRegistration r = new InboundRegistration();
        r.register(registry, END);
        InboundChunks chunks = new InboundChunks();
        Object end = new Object();
        r.unread(UnreadPipe.watch(end, chunks, END.info(), registry, END));
        assertThat(r.isRegistered()).isFalse();
        assertThat(r.hasUnread()).isTrue();
        assertThat(registry.size()).as("the unread data stands for the end").isOne();
        r.unregister(END);
        assertThat(r.hasUnread()).isFalse();
        assertThat(registry.size()).isZero();
        assertThat(chunks.released()).as("pulled, not released").isNull();
    }
}
