package dev.asyncrpc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Credit-based flow control with a slow consumer: the implementation pulls one chunk every 10 ms.
 * The caller's unacknowledged bytes never exceed the receiver's window (asserted from the registry),
 * the receiver never buffers more than its window, and pushes stay pending until credit returns.
 */
class PipeFlowControlTests {

    static final int WINDOW = 256 * 1024;
    static final int CHUNK = 16 * 1024;
    static final int CHUNKS = 100;
    /** PIPE_DATA payload of one chunk: pipe index, count, length prefix and the bytes. */
    static final int FRAME_PAYLOAD = 3 + 4 + CHUNK;
    /** Chunks that fit in the window before any credit returns. */
    static final int FIT = WINDOW / FRAME_PAYLOAD;

    @RemoteService("slow")
    public interface SlowSink {
        @AsyncRemote
        CompletableFuture<Long> consume(InPipe<byte[]> chunks);
    }

    /** Pulls one chunk per tick of a 10 ms timer: a paced consumer. */
    static final class PacedSink implements SlowSink {
        final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        final AtomicInteger pulled = new AtomicInteger();

        @Override
        public CompletableFuture<Long> consume(InPipe<byte[]> chunks) {
            CompletableFuture<Long> result = new CompletableFuture<>();
            AtomicLong bytes = new AtomicLong();
            AtomicReference<java.util.concurrent.ScheduledFuture<?>> tick = new AtomicReference<>();
            tick.set(this.timer.scheduleAtFixedRate(() -> {
                try {
                    List<byte[]> got = chunks.pull(1);
                    if (!got.isEmpty()) {
                        bytes.addAndGet(got.get(0).length);
                        this.pulled.incrementAndGet();
                    }
                    else if (chunks.isClosed()) {
                        tick.get().cancel(false);
                        result.complete(bytes.get());
                    }
                }
                catch (RuntimeException ex) {
                    tick.get().cancel(false);
                    result.completeExceptionally(ex);
                }
            }, 10, 10, TimeUnit.MILLISECONDS));
            return result;
        }
    }

    private PacedSink sink;
    private AsyncRpcServer server;
    private AsyncRpcClient client;

    @BeforeEach
    void start() {
        this.sink = new PacedSink();
        this.server = AsyncRpcServer.builder().host("127.0.0.1").port(0).pipeWindow(WINDOW).service(this.sink).build().start();
        this.client = AsyncRpcClient.builder().address(this.server.address()).build();
    }

    @AfterEach
    void stop() {
        this.client.close();
        this.server.close();
        this.sink.timer.shutdownNow();
    }

    @Test
    void slowConsumerHoldsTheSenderToTheWindowAndPushesWaitForCredit() throws Exception {
        SlowSink slow = this.client.proxy(SlowSink.class);
        InPipe<byte[]> pipe = InPipe.create();
        CompletableFuture<Long> call = slow.consume(pipe);

        // sample the registries while the transfer runs
        AtomicLong maxUnacknowledged = new AtomicLong();
        AtomicLong maxBuffered = new AtomicLong();
        AtomicLong maxStalledMillis = new AtomicLong();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(() -> {
            for (PipeInfo p : this.client.openPipes()) {
                maxUnacknowledged.accumulateAndGet(p.unacknowledgedBytes(), Math::max);
                maxStalledMillis.accumulateAndGet(p.stalled().toMillis(), Math::max);
                assertThat(p.window()).isEqualTo(WINDOW);
            }
            for (PipeInfo p : this.server.openPipes()) {
                maxBuffered.accumulateAndGet(p.bufferedBytes(), Math::max);
            }
        }, 0, 1, TimeUnit.MILLISECONDS);

        // push every chunk at once without waiting; record how far the consumer had got when each send completed
        int[] pulledAtSendComplete = new int[CHUNKS];
        List<CompletableFuture<Void>> sends = new ArrayList<>();
        for (int i = 0; i < CHUNKS; i++) {
            int n = i;
            sends.add(pipe.push(new byte[CHUNK]).toCompletableFuture()
                    .thenRun(() -> pulledAtSendComplete[n] = this.sink.pulled.get()));
        }
        pipe.close();
        long pendingRightAfterPushing = sends.stream().filter(f -> !f.isDone()).count();

        assertThat(call.get(30, TimeUnit.SECONDS)).isEqualTo((long) CHUNKS * CHUNK);
        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        sampler.shutdownNow();
        sampler.awaitTermination(5, TimeUnit.SECONDS);

        assertThat(maxUnacknowledged.get()).as("caller's unacknowledged bytes").isLessThanOrEqualTo(WINDOW).isGreaterThan(WINDOW / 2);
        assertThat(maxBuffered.get()).as("implementer's buffered bytes").isLessThanOrEqualTo(WINDOW);
        assertThat(pendingRightAfterPushing).as("pushes pending for credit").isGreaterThanOrEqualTo(CHUNKS - FIT - 8);
        for (int i = 0; i < CHUNKS; i++) {
            // chunk i can only have been sent once the consumer had made room for it; the consumer
            // counts a chunk just after its pull returned credit, hence one less
            assertThat(pulledAtSendComplete[i]).as("chunks pulled when chunk %d was sent", i).isGreaterThanOrEqualTo(i - FIT);
        }
        assertThat(Duration.ofMillis(maxStalledMillis.get())).as("time stalled for credit").isGreaterThan(Duration.ofMillis(100));
        System.out.printf("flow control: window %d, max unacknowledged %d, max buffered by the receiver %d, stalled %d ms%n",
                WINDOW, maxUnacknowledged.get(), maxBuffered.get(), maxStalledMillis.get());
    }
}
