package dev.asyncrpc;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.adapter.JdkFlowAdapter;
import reactor.core.publisher.Flux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Pipes as Reactive Streams: a pipe fed from a {@code Flux} requests only what credit and its
 * buffer allow; cancelling the subscriber of an out-pipe cancels the call; a caller may view an
 * out-pipe as a {@code Flux} return.
 */
class PipeReactiveTests {

    static final int WINDOW = 64 * 1024;
    static final int ELEMENT = 4 * 1024;

    @RemoteService("streams")
    public interface Streams {

        /** Consume the in-pipe as a Flux, pacing it with a timer: one element per 2 ms. */
        @AsyncRemote
        CompletableFuture<Integer> slowCount(InPipe<byte[]> chunks);

        /** Push 0, 1, 2, ... until the pipe fails; report how it failed. */
        void endless(OutPipe<Integer> numbers);

        /** Push 0 .. count-1 from a Flux subscribed to the out-pipe; fail at {@code failAt} if it is >= 0. */
        @AsyncRemote
        CompletableFuture<Void> range(int count, int failAt, OutPipe<Integer> numbers);
    }

    /** The caller's view of {@code range} with a Flux return standing for the out-pipe. */
    @RemoteService("streams")
    public interface StreamsFlux {
        @AsyncRemote
        Flux<Integer> range(int count, int failAt);
    }

    static final class StreamsEndpoint implements Streams {
        final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        final AtomicInteger consumed = new AtomicInteger();
        final CompletableFuture<RemoteCallException> endlessFailure = new CompletableFuture<>();

        @Override
        public CompletableFuture<Integer> slowCount(InPipe<byte[]> chunks) {
            CompletableFuture<Integer> result = new CompletableFuture<>();
            JdkFlowAdapter.flowPublisherToFlux(chunks)
                    .delayElements(Duration.ofMillis(2), reactor.core.scheduler.Schedulers.fromExecutor(this.timer))
                    .doOnNext(c -> this.consumed.incrementAndGet())
                    .count()
                    .subscribe(n -> result.complete(n.intValue()), result::completeExceptionally);
            return result;
        }

        @Override
        public void endless(OutPipe<Integer> numbers) {
            for (int i = 0;; i++) {
                try {
                    numbers.push(i).toCompletableFuture().join();
                }
                catch (CompletionException ex) {
                    this.endlessFailure.complete((RemoteCallException) ex.getCause());
                    return;
                }
            }
        }

        @Override
        public CompletableFuture<Void> range(int count, int failAt, OutPipe<Integer> numbers) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            Flux<Integer> source = Flux.range(0, count)
                    .map(i -> {
                        if (i == failAt) {
                            throw new IllegalStateException("failed at " + i);
                        }
                        return i;
                    })
                    // runs once the pipe has seen the end (it closes, or aborts after the elements sent)
                    .doFinally(signal -> {
                        if (failAt >= 0) {
                            done.completeExceptionally(new IllegalStateException("failed at " + failAt));
                        }
                        else {
                            done.complete(null);
                        }
                    });
            JdkFlowAdapter.publisherToFlowPublisher(source).subscribe(numbers);
            return done;
        }
    }

    private StreamsEndpoint endpoint;
    private AsyncRpcServer server;
    private AsyncRpcClient client;

    @BeforeEach
    void start() {
        this.endpoint = new StreamsEndpoint();
        this.server = AsyncRpcServer.builder().host("127.0.0.1").port(0).pipeWindow(WINDOW).service(this.endpoint).build().start();
        this.client = AsyncRpcClient.builder().address(this.server.address()).build();
    }

    @AfterEach
    void stop() {
        this.client.close();
        this.server.close();
        this.endpoint.timer.shutdownNow();
    }

    @Test
    void pipeFedFromAFluxRequestsOnlyWhatCreditAndItsBufferAllow() throws Exception {
        int total = 400;
        AtomicLong emitted = new AtomicLong();
        AtomicLong maxAhead = new AtomicLong();
        AtomicLong maxRequest = new AtomicLong();
        Flux<byte[]> source = Flux.range(0, total)
                .map(i -> new byte[ELEMENT])
                .doOnNext(b -> maxAhead.accumulateAndGet(emitted.incrementAndGet() - this.endpoint.consumed.get(), Math::max))
                .limitRate(16)
                .doOnRequest(n -> maxRequest.accumulateAndGet(n, Math::max));
        InPipe<byte[]> pipe = InPipe.from(JdkFlowAdapter.publisherToFlowPublisher(source));
        CompletableFuture<Integer> count = this.client.proxy(Streams.class).slowCount(pipe);
        assertThat(count.get(30, TimeUnit.SECONDS)).isEqualTo(total);
        assertThat(emitted.get()).isEqualTo(total);
        // in flight or queued within credit (one window), queued beyond credit (one window), one batch of demand, limitRate's prefetch
        long bound = 2L * WINDOW / ELEMENT + WINDOW / ELEMENT + 16;
        assertThat(maxAhead.get()).as("elements produced ahead of the consumer").isLessThanOrEqualTo(bound).isLessThan(total / 4);
        assertThat(maxRequest.get()).as("largest single request by the pipe").isLessThanOrEqualTo(WINDOW / ELEMENT + 1);
    }

    @Test
    void cancellingTheSubscriberOfAnOutPipeCancelsTheCall() throws Exception {
        OutPipe<Integer> numbers = OutPipe.create();
        CompletableFuture<Void> call = CompletableFuture.runAsync(() -> this.client.proxy(Streams.class).endless(numbers));
        List<Integer> first = JdkFlowAdapter.flowPublisherToFlux(numbers).take(10).collectList().block(Duration.ofSeconds(10));
        assertThat(first).containsExactly(IntStream.range(0, 10).boxed().toArray(Integer[]::new));
        assertThatThrownBy(() -> call.get(10, TimeUnit.SECONDS)).cause().isInstanceOfSatisfying(RemoteCallException.class,
                ex -> assertThat(ex.status()).isEqualTo(Status.CANCELLED));
        RemoteCallException seen = this.endpoint.endlessFailure.get(10, TimeUnit.SECONDS);
        assertThat(seen.status()).isEqualTo(Status.CANCELLED);
    }

    @Test
    void fluxReturnStandsForAnOutPipe() {
        StreamsFlux flux = this.client.proxy(StreamsFlux.class);
        List<Integer> all = flux.range(10_000, -1).collectList().block(Duration.ofSeconds(30));
        assertThat(all).hasSize(10_000).startsWith(0, 1, 2).endsWith(9_999);

        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicInteger before = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(1);
        flux.range(100, 50).subscribe(x -> before.incrementAndGet(), t -> {
            failure.set(t);
            done.countDown();
        }, done::countDown);
        assertThat(awaitQuietly(done)).isTrue();
        // the failure reaches the subscriber after every element the source emitted before it
        assertThat(before.get()).isEqualTo(50);
        assertThat(failure.get()).isInstanceOfSatisfying(RemoteCallException.class, ex -> {
            assertThat(ex.status()).isEqualTo(Status.APPLICATION_ERROR);
            assertThat(ex.description()).isEqualTo("failed at 50");
        });
    }

    private static boolean awaitQuietly(CountDownLatch latch) {
        try {
            return latch.await(10, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
