package dev.asyncrpc.internal.pipe;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When a receiving end wakes its consumer: at the end of the read batch in which data arrived,
 * unless a credit grant's worth (half the window) is buffered, in which case at once, so that the
 * grant is written and flushed while the rest of the batch is still being read.
 */
class PipeReceiverWakeTests {

    private static final int WINDOW = 1000;

    private final TableFixture fixture = new TableFixture();
    private final EmbeddedChannel channel = this.fixture.channel;
    private final PipeTable table = this.fixture.table;
    private final DefaultInPipe<byte[]> end = new DefaultInPipe<>();
    private final PipeReceiver<byte[]> receiver = this.end.receiver();
    private final AtomicInteger runs = new AtomicInteger();
    private int pulledBytes;

    PipeReceiverWakeTests() {
        this.receiver.bind(new PipeIdentity("svc/upload", 0), new dev.asyncrpc.internal.codec.Codecs().forType(byte[].class), true, Runnable::run, Runnable::run, null, this.table.registry());
        this.receiver.attach(this.table, 7, WINDOW);
    }

    @AfterEach
    void release() {
        this.receiver.pull(Integer.MAX_VALUE);
        this.channel.finishAndReleaseAll();
    }

    /** One PIPE_DATA of one raw element of {@code n} bytes, as the table hands it over; counts {@code n + 7} against credit. */
    private void arrive(int n) {
        ByteBuf payload = Unpooled.buffer(4 + n).writeInt(n).writeZero(n);
        this.receiver.onData(payload, 1, n + 7);
    }

    /** A consumer that pulls everything there is, counting runs and bytes. */
    private final Runnable drain = () -> {
        this.runs.incrementAndGet();
        List<byte[]> got = this.receiver.pull(Integer.MAX_VALUE);
        for (byte[] b : got) {
            this.pulledBytes += b.length;
        }
    };

    @Test
    void belowHalfTheWindowTheConsumerIsWokenOnceAtTheEndOfTheReadBatch() {
        this.receiver.onAvailable(this.drain, null);
        arrive(100);
        arrive(100);
        assertThat(this.runs).as("during the batch").hasValue(0);
        this.table.readComplete();
        assertThat(this.runs).hasValue(1);
        assertThat(this.pulledBytes).isEqualTo(200);
        assertThat(this.fixture.credit()).as("414 bytes consumed: less than half the window").isNull();
    }

    @Test
    void aGrantsWorthWakesTheConsumerAtOnceAndItsCreditIsFlushedBeforeTheBatchEnds() {
        this.receiver.onAvailable(this.drain, null);
        arrive(200); // 207 counted
        assertThat(this.runs).hasValue(0);
        arrive(300); // 514 buffered: over half the window
        assertThat(this.runs).as("woken within the batch").hasValue(1);
        assertThat(this.pulledBytes).isEqualTo(500);
        assertThat(this.fixture.credit()).as("written and flushed at once").containsExactly(7, 0, 514);
        this.table.readComplete();
        assertThat(this.runs).as("nothing left at the end of the batch: no second wake").hasValue(1);
        assertThat(this.fixture.credit()).isNull();
    }

    @Test
    void aCallbackWhoseDataWasTakenBeforeTheBatchEndedWaitsForTheNextData() {
        this.receiver.onAvailable(this.drain, null);
        arrive(100);
        assertThat(this.receiver.pull(10)).hasSize(1); // another thread took it meanwhile
        this.table.readComplete();
        assertThat(this.runs).as("no data at the end of the batch").hasValue(0);
        arrive(50);
        this.table.readComplete();
        assertThat(this.runs).hasValue(1);
        assertThat(this.pulledBytes).isEqualTo(50);
    }

    @Test
    void aConsumerThatDoesNotReadIsWokenOncePerBatch() {
        AtomicInteger signals = new AtomicInteger();
        this.receiver.onAvailable(signals::incrementAndGet, null);
        arrive(100);
        arrive(100);
        arrive(100);
        this.table.readComplete();
        assertThat(signals).hasValue(1);
        arrive(400); // over half the window, but the callback ran and was not registered again
        this.table.readComplete();
        assertThat(signals).hasValue(1);
        assertThat(this.fixture.credit()).isNull();
    }
}
