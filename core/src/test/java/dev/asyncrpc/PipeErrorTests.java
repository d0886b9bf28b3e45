package dev.asyncrpc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import dev.asyncrpc.test.Bulk;
import dev.asyncrpc.test.BulkAsync;
import dev.asyncrpc.test.BulkEndpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Pipe failures: the completion discipline ({@link Status#PIPE_ERROR} on both sides) and a lost
 * connection failing every open pipe once with {@link Status#UNAVAILABLE}, never a hang.
 */
class PipeErrorTests {

    @RemoteService("careless")
    public interface Careless {

        /** Takes two elements, then completes while the caller still has more to send. */
        @AsyncRemote
        void takeTwo(InPipe<Integer> numbers, AsyncReply<Integer> reply);

        /** Pushes three elements and returns without closing the pipe. */
        void forgetToClose(OutPipe<Integer> numbers);
    }

    static final class CarelessEndpoint implements Careless {
        final CompletableFuture<RemoteCallException> completeFailure = new CompletableFuture<>();
        final CompletableFuture<RemoteCallException> laterPull = new CompletableFuture<>();
        final AtomicReference<OutPipe<Integer>> forgotten = new AtomicReference<>();

        @Override
        public void takeTwo(InPipe<Integer> numbers, AsyncReply<Integer> reply) {
            List<Integer> got = new ArrayList<>();
            new Runnable() {
                @Override
                public void run() {
                    got.addAll(numbers.pull(2 - got.size()));
                    if (got.size() < 2) {
                        numbers.onAvailable(this);
                        return;
                    }
                    try {
                        reply.complete(got.size());
                    }
                    catch (RemoteCallException ex) {
                        CarelessEndpoint.this.completeFailure.complete(ex);
                    }
                    numbers.onAvailable(new Runnable() {
                        @Override
                        public void run() {
                            try {
                                numbers.pull(1); // what is left, until the failure shows
                                numbers.onAvailable(this);
                            }
                            catch (RemoteCallException ex) {
                                CarelessEndpoint.this.laterPull.complete(ex);
                            }
                        }
                    });
                }
            }.run();
        }

        @Override
        public void forgetToClose(OutPipe<Integer> numbers) {
            numbers.push(1, 2, 3).toCompletableFuture().join();
            this.forgotten.set(numbers);
        }
    }

    private AsyncRpcServer server;
    private AsyncRpcClient client;

    @AfterEach
    void stop() {
        if (this.client != null) {
            this.client.close();
        }
        if (this.server != null) {
            this.server.close();
        }
    }

    private AsyncRpcClient start(Object implementation) {
        this.server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(implementation).build().start();
        this.client = AsyncRpcClient.builder().address(this.server.address()).build();
        return this.client;
    }

    private static RemoteCallException failureOf(CompletableFuture<?> future) {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> future.get(10, TimeUnit.SECONDS));
        assertThat(t).as("outcome").isNotNull().hasCauseInstanceOf(RemoteCallException.class);
        return (RemoteCallException) t.getCause();
    }

    @Test
    void completingBeforeDrainingAnInPipeGivesPipeErrorToBothSides() throws Exception {
        CarelessEndpoint endpoint = new CarelessEndpoint();
        start(endpoint);
        InPipe<Integer> numbers = InPipe.create();
        CallerView caller = this.client.proxy(CallerView.class);
        CompletableFuture<Integer> taken = caller.takeTwo(numbers);
        for (int i = 0; i < 10; i++) {
            numbers.push(i);
        }
        RemoteCallException callerSide = failureOf(taken);
        assertThat(callerSide.status()).isEqualTo(Status.PIPE_ERROR);
        assertThat(callerSide.description()).contains("completed before draining InPipe #0");
        assertThatThrownBy(() -> numbers.push(10).toCompletableFuture().get(10, TimeUnit.SECONDS)).cause()
                .isInstanceOfSatisfying(RemoteCallException.class, ex -> assertThat(ex.status()).isEqualTo(Status.PIPE_ERROR));

        assertThat(endpoint.completeFailure.get(10, TimeUnit.SECONDS).status()).isEqualTo(Status.PIPE_ERROR);
        assertThat(endpoint.laterPull.get(10, TimeUnit.SECONDS).status()).isEqualTo(Status.PIPE_ERROR);
    }

    /** The caller's view of {@link Careless}. */
    @RemoteService("careless")
    public interface CallerView {
        @AsyncRemote
        CompletableFuture<Integer> takeTwo(InPipe<Integer> numbers);

        @AsyncRemote
        CompletableFuture<Void> forgetToClose(OutPipe<Integer> numbers);
    }

    @Test
    void completingWithoutClosingAnOutPipeGivesPipeErrorToBothSides() throws Exception {
        CarelessEndpoint endpoint = new CarelessEndpoint();
        CallerView caller = start(endpoint).proxy(CallerView.class);
        OutPipe<Integer> numbers = OutPipe.create();
        RemoteCallException callerSide = failureOf(caller.forgetToClose(numbers));
        assertThat(callerSide.status()).isEqualTo(Status.PIPE_ERROR);
        assertThat(callerSide.description()).contains("completed without closing OutPipe #0");
        // the elements pushed before the failure come first, then the failure
        List<Integer> before = new ArrayList<>();
        while (before.size() < 3) {
            before.addAll(numbers.pull(10));
        }
        assertThat(before).containsExactly(1, 2, 3);
        assertThatThrownBy(() -> numbers.pull(10)).isInstanceOfSatisfying(RemoteCallException.class,
                ex -> assertThat(ex.status()).isEqualTo(Status.PIPE_ERROR));
        CompletableFuture<Void> late = endpoint.forgotten.get().push(4).toCompletableFuture();
        assertThat(failureOf(late).status()).isEqualTo(Status.PIPE_ERROR);
    }

    @Test
    void serverLostMidUploadFailsThePipeAndTheCallWithUnavailable() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        BulkAsync bulk = start(new BulkEndpoint() {
            @Override
            public Digest upload(InPipe<byte[]> chunks) {
                started.countDown();
                return super.upload(chunks);
            }
        }).proxy(BulkAsync.class);
        InPipe<byte[]> chunks = InPipe.create();
        CompletableFuture<Bulk.Digest> call = bulk.upload(chunks);
        CompletableFuture<Long> pusher = CompletableFuture.supplyAsync(() -> BulkEndpoint.pushAll(chunks::push, Long.MAX_VALUE / 2, 64 * 1024));
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        long t0 = System.nanoTime();
        this.server.close();
        assertThat(failureOf(call).status()).isEqualTo(Status.UNAVAILABLE);
        Throwable pushFailure = org.assertj.core.api.Assertions.catchThrowable(() -> pusher.get(10, TimeUnit.SECONDS));
        assertThat(pushFailure).hasRootCauseInstanceOf(RemoteCallException.class);
        assertThat(((RemoteCallException) rootCause(pushFailure)).status()).isEqualTo(Status.UNAVAILABLE);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
        assertThat(chunks.isClosed()).isTrue();
        assertThat(this.client.openPipes()).isEmpty();
    }

    @Test
    void clientLostMidDownloadFailsTheImplementersPipeWithUnavailableAndTheCallersOnce() throws Exception {
        CompletableFuture<RemoteCallException> serverSide = new CompletableFuture<>();
        BulkAsync bulk = start(new BulkEndpoint() {
            @Override
            public void download(long bytes, int chunkSize, OutPipe<byte[]> chunks) {
                try {
                    super.download(bytes, chunkSize, chunks);
                }
                catch (CompletionException ex) {
                    serverSide.complete((RemoteCallException) ex.getCause());
                }
            }
        }).proxy(BulkAsync.class);
        OutPipe<byte[]> chunks = OutPipe.create();
        AtomicInteger errors = new AtomicInteger();
        AtomicInteger completions = new AtomicInteger();
        AtomicReference<Throwable> error = new AtomicReference<>();
        CountDownLatch firstChunks = new CountDownLatch(10);
        CountDownLatch ended = new CountDownLatch(1);
        chunks.subscribe(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(byte[] item) {
                firstChunks.countDown();
            }

            @Override
            public void onError(Throwable t) {
                error.set(t);
                errors.incrementAndGet();
                ended.countDown();
            }

            @Override
            public void onComplete() {
                completions.incrementAndGet();
                ended.countDown();
            }
        });
        CompletableFuture<Void> call = bulk.download(Long.MAX_VALUE / 2, 64 * 1024, chunks);
        assertThat(firstChunks.await(10, TimeUnit.SECONDS)).isTrue();
        this.client.close();
        assertThat(ended.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(failureOf(call).status()).isEqualTo(Status.UNAVAILABLE);
        assertThat(serverSide.get(10, TimeUnit.SECONDS).status()).isEqualTo(Status.UNAVAILABLE);
        assertThat(error.get()).isInstanceOfSatisfying(RemoteCallException.class, ex -> assertThat(ex.status()).isEqualTo(Status.UNAVAILABLE));
        assertThat(errors.get()).isEqualTo(1);
        assertThat(completions.get()).isZero();
        assertThat(this.server.openPipes()).isEmpty();
    }

    @Test
    void deadlineFailsThePipesOnBothSides() throws Exception {
        CompletableFuture<RemoteCallException> serverSide = new CompletableFuture<>();
        BulkAsync bulk = start(new BulkEndpoint() {
            @Override
            public Digest upload(InPipe<byte[]> chunks) {
                try {
                    return super.upload(chunks); // waits for chunks that never come
                }
                catch (RemoteCallException ex) {
                    serverSide.complete(ex);
                    throw ex;
                }
            }
        }).proxy(BulkAsync.class, CallOptions.DEFAULT.withTimeout(Duration.ofMillis(300)));
        InPipe<byte[]> chunks = InPipe.create();
        chunks.push(new byte[10]);
        CompletableFuture<Bulk.Digest> call = bulk.upload(chunks);
        assertThat(failureOf(call).status()).isEqualTo(Status.DEADLINE_EXCEEDED);
        assertThat(failureOf(chunks.push(new byte[10]).toCompletableFuture()).status()).isEqualTo(Status.DEADLINE_EXCEEDED);
        // the server learns it from the CANCEL the caller sends when its deadline passes, or from its own timer
        assertThat(serverSide.get(10, TimeUnit.SECONDS).status()).isIn(Status.CANCELLED, Status.DEADLINE_EXCEEDED);
        assertThat(this.client.openPipes()).isEmpty();
    }

    private static Throwable rootCause(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }
}
