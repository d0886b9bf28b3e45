package dev.asyncrpc;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Pipe data a server holds for its implementations is charged to its memory budget
 * ({@code AsyncRpcServer.memoryBudgetUsed()}) and given back exactly when it is read, when the call
 * ends (abort, cancel, lost connection); while the budget is exhausted, a pipe that still holds
 * unread data gets no credit back, and gets it once memory frees.
 */
class PipeMemoryBudgetTests {

    static final int CHUNK = 10 * 1024;

    @RemoteService("held")
    public interface Held {
        /** Keeps {@code data} unread until the test pulls it; completes when the test says. */
        @AsyncRemote
        CompletableFuture<Long> hold(InPipe<byte[]> data);
    }

    static final class HeldEndpoint implements Held {
        final LinkedBlockingQueue<InPipe<byte[]>> pipes = new LinkedBlockingQueue<>();
        final LinkedBlockingQueue<CompletableFuture<Long>> results = new LinkedBlockingQueue<>();

        @Override
        public CompletableFuture<Long> hold(InPipe<byte[]> data) {
            CompletableFuture<Long> result = new CompletableFuture<>();
            this.results.add(result);
            this.pipes.add(data);
            return result;
        }

        InPipe<byte[]> next() throws InterruptedException {
            InPipe<byte[]> p = this.pipes.poll(10, TimeUnit.SECONDS);
            assertThat(p).as("the call reached the implementation").isNotNull();
            return p;
        }
    }

    private final HeldEndpoint endpoint = new HeldEndpoint();
    private AsyncRpcServer server;
    private AsyncRpcClient client;

    private void start(long budget, int window) {
        this.server = AsyncRpcServer.builder().host("127.0.0.1").port(0).memoryBudget(budget).pipeWindow(window).service(this.endpoint)
            .build().start();
        this.client = AsyncRpcClient.builder().address(this.server.address()).build();
    }

    @AfterEach
    void stop() {
        if (this.client != null) {
            this.client.close();
        }
        if (this.server != null) {
            this.server.close();
        }
    }

    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 20 s for: " + what).isLessThan(deadline);
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
    }

    /** Elements the server's open pipes have received. */
    private long received() {
        return this.server.openPipes().stream().mapToLong(PipeInfo::elements).sum();
    }

    private long buffered() {
        return this.server.openPipes().stream().mapToLong(PipeInfo::bufferedBytes).sum();
    }

    private static List<CompletableFuture<Void>> push(InPipe<byte[]> pipe, int chunks) {
        List<CompletableFuture<Void>> sends = new ArrayList<>();
        for (int i = 0; i < chunks; i++) {
            sends.add(pipe.push(new byte[CHUNK]).toCompletableFuture());
        }
        return sends;
    }

    /**
     * A call whose implementation holds {@code chunks} chunks unread, charged to the budget. Each
     * chunk is pushed once the server has received the one before, so that each is a frame of its
     * own (the receiver gives a frame's bytes back once all its elements are read).
     */
    private CompletableFuture<Long> holding(InPipe<byte[]> pipe, int chunks, long chargedBefore) throws Exception {
        CompletableFuture<Long> call = this.client.proxy(Held.class).hold(pipe);
        long before = received();
        for (int i = 0; i < chunks; i++) {
            pipe.push(new byte[CHUNK]);
            long n = before + i + 1;
            await("chunk " + n + " received", () -> received() == n);
        }
        await(chunks + " chunks buffered", () -> this.server.memoryBudgetUsed() >= chargedBefore + (long) chunks * CHUNK);
        return call;
    }

    @Test
    void bufferedPipeDataIsChargedUntilItIsRead() throws Exception {
        start(64L << 20, 1 << 20);
        InPipe<byte[]> pipe = InPipe.create();
        CompletableFuture<Long> call = holding(pipe, 8, 0);
        InPipe<byte[]> received = this.endpoint.next();
        assertThat(this.server.memoryBudgetUsed()).as("what the open pipes hold, exactly").isEqualTo(buffered()).isGreaterThanOrEqualTo(8L * CHUNK);
        assertThat(received.pull(3)).hasSize(3);
        assertThat(this.server.memoryBudgetUsed()).as("read frames are given back").isEqualTo(buffered()).isGreaterThanOrEqualTo(5L * CHUNK)
            .isLessThan(6L * CHUNK);
        assertThat(received.pull(100)).hasSize(5);
        assertThat(this.server.memoryBudgetUsed()).isZero();
        pipe.close();
        await("the end arrived", received::isClosed);
        assertThat(received.pull(1)).as("the end, observed").isEmpty();
        this.endpoint.results.take().complete(8L);
        assertThat(call.get(10, TimeUnit.SECONDS)).isEqualTo(8L);
        assertThat(this.server.memoryBudgetUsed()).isZero();
    }

    @Test
    void dataLeftUnreadIsGivenBackWhenTheCallEndsHoweverItEnds() throws Exception {
        start(64L << 20, 1 << 20);
        // the sender aborts, then the implementation ends without reading
        InPipe<byte[]> aborted = InPipe.create();
        CompletableFuture<Long> first = holding(aborted, 4, 0);
        this.endpoint.next();
        aborted.abort(new IllegalStateException("changed my mind"));
        assertThat(this.server.memoryBudgetUsed()).as("an abort reaches the reader after the data").isGreaterThanOrEqualTo(4L * CHUNK);
        this.endpoint.results.take().completeExceptionally(new IllegalStateException("gave up"));
        assertThatThrownBy(() -> first.get(10, TimeUnit.SECONDS)).isInstanceOf(java.util.concurrent.ExecutionException.class);
        await("released when the call ended", () -> this.server.memoryBudgetUsed() == 0);

        // the caller cancels
        InPipe<byte[]> cancelled = InPipe.create();
        CompletableFuture<Long> second = holding(cancelled, 4, 0);
        this.endpoint.next();
        this.endpoint.results.take();
        second.cancel(true);
        await("released when the call was cancelled", () -> this.server.memoryBudgetUsed() == 0 && this.server.activeCalls() == 0);

        // the connection is lost
        InPipe<byte[]> lost = InPipe.create();
        holding(lost, 4, 0);
        this.endpoint.next();
        this.client.close();
        await("released when the connection closed", () -> this.server.memoryBudgetUsed() == 0 && this.server.connections() == 0);
        assertThat(this.server.openPipes()).isEmpty();
    }

    @Test
    void whileTheBudgetIsExhaustedAPipeWithUnreadDataGetsNoCreditUntilMemoryFrees() throws Exception {
        int window = 64 * 1024;
        start(64 * 1024, window);
        InPipe<byte[]> slow = InPipe.create();
        holding(slow, 6, 0); // 6 frames of a little more than 10 KiB: the window is nearly spent
        InPipe<byte[]> slowReceived = this.endpoint.next();
        InPipe<byte[]> other = InPipe.create();
        holding(other, 5, 6L * CHUNK);
        InPipe<byte[]> otherReceived = this.endpoint.next();
        assertThat(this.server.memoryBudgetUsed()).as("beyond the budget: data within the window is never refused").isGreaterThan(64 * 1024);

        List<CompletableFuture<Void>> more = push(slow, 3);
        assertThat(slowReceived.pull(4)).as("more than half the window read: credit is due").hasSize(4);
        assertThat(this.server.memoryBudgetUsed()).as("still exhausted").isGreaterThanOrEqualTo(64 * 1024);
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
        while (System.nanoTime() < until) { // bounded: the absence of credit cannot be awaited
            assertThat(more.stream().anyMatch(CompletableFuture::isDone)).as("a push completed without credit").isFalse();
            java.util.concurrent.locks.LockSupport.parkNanos(10_000_000);
        }
        assertThat(otherReceived.pull(100)).hasSize(5);
        CompletableFuture.allOf(more.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        await("the held credit went out once memory freed and the pushes arrived",
                () -> this.server.memoryBudgetUsed() == buffered() && buffered() >= 4L * CHUNK);
    }
}
