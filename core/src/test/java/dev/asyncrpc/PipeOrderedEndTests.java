package dev.asyncrpc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * An abort, a failed call or a failed publisher reaches the reader only after every element that
 * arrived before it; elements nobody reads after the call are released when the pipe is dropped or
 * the client closes. Each ordering case runs 1,000 times in a bounded loop.
 */
class PipeOrderedEndTests {

    static final int RUNS = 1_000;

    @RemoteService("ordered")
    public interface Ordered {

        /** Push 0 .. n-1, awaiting each push, then abort with "stop at n". */
        void pushThenAbort(int n, OutPipe<Integer> numbers);

        /** Push 0 .. n-1, awaiting each push, then close. */
        void pushThenClose(int n, OutPipe<Integer> numbers);

        /** Push 0 .. n-1, awaiting each push, then fail the call without closing the pipe. */
        void pushThenThrow(int n, OutPipe<Integer> numbers);

        /** Read the in-pipe to its end: the elements seen, then how it ended. */
        String drain(InPipe<Integer> numbers);
    }

    @RemoteService("ordered")
    public interface OrderedCaller {
        @AsyncRemote
        CompletableFuture<Void> pushThenAbort(int n, OutPipe<Integer> numbers);

        @AsyncRemote
        CompletableFuture<Void> pushThenClose(int n, OutPipe<Integer> numbers);

        @AsyncRemote
        CompletableFuture<Void> pushThenThrow(int n, OutPipe<Integer> numbers);

        @AsyncRemote
        CompletableFuture<String> drain(InPipe<Integer> numbers);
    }

    /** The caller's view with a {@code Flux} return standing for the out-pipe. */
    @RemoteService("ordered")
    public interface OrderedFlux {
        @AsyncRemote
        Flux<Integer> pushThenAbort(int n);
    }

    static final class OrderedEndpoint implements Ordered {

        @Override
        public void pushThenAbort(int n, OutPipe<Integer> numbers) {
            pushAll(n, numbers);
            numbers.abort(new RemoteCallException(Status.APPLICATION_ERROR, "stop at " + n));
        }

        @Override
        public void pushThenClose(int n, OutPipe<Integer> numbers) {
            pushAll(n, numbers);
            numbers.close();
        }

        @Override
        public void pushThenThrow(int n, OutPipe<Integer> numbers) {
            pushAll(n, numbers);
            throw new IllegalStateException("failed after " + n);
        }

        private static void pushAll(int n, OutPipe<Integer> numbers) {
            for (int i = 0; i < n; i++) {
                numbers.push(i).toCompletableFuture().join();
            }
        }

        @Override
        public String drain(InPipe<Integer> numbers) {
            StringBuilder seen = new StringBuilder();
            try {
                for (Integer i : numbers) {
                    seen.append(i).append(',');
                }
                return seen + "closed";
            }
            catch (RemoteCallException ex) {
                return seen + ex.status().name() + ":" + ex.description();
            }
        }
    }

    private AsyncRpcServer server;
    private AsyncRpcClient client;

    @BeforeEach
    void start() {
        this.server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(new OrderedEndpoint()).build().start();
        this.client = AsyncRpcClient.builder().address(this.server.address()).build();
    }

    @AfterEach
    void stop() {
        this.client.close();
        this.server.close();
    }

    private static int sizeOf(int run) {
        return 1 + run % 50;
    }

    private static List<Integer> upTo(int n) {
        List<Integer> l = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            l.add(i);
        }
        return l;
    }

    @Test
    void anAbortedOutPipeDeliversEveryElementPushedBeforeTheAbort() throws Exception {
        OrderedCaller caller = this.client.proxy(OrderedCaller.class);
        for (int run = 0; run < RUNS; run++) {
            int n = sizeOf(run);
            OutPipe<Integer> numbers = OutPipe.create();
            CompletableFuture<Void> call = caller.pushThenAbort(n, numbers);
            if (run % 2 == 0) {
                call.get(10, TimeUnit.SECONDS); // half the runs read only once the call is over
            }
            List<Integer> got = new ArrayList<>();
            Throwable end = catchThrowable(() -> numbers.forEach(got::add));
            assertThat(got).as("run %d", run).isEqualTo(upTo(n));
            assertThat(end).as("run %d", run).isInstanceOfSatisfying(RemoteCallException.class, ex -> {
                assertThat(ex.status()).isEqualTo(Status.APPLICATION_ERROR);
                assertThat(ex.description()).isEqualTo("stop at " + n);
            });
            call.get(10, TimeUnit.SECONDS);
        }
        assertThat(this.client.openPipes()).isEmpty();
    }

    @Test
    void aFluxReturnDeliversEveryElementBeforeTheAbort() {
        OrderedFlux flux = this.client.proxy(OrderedFlux.class);
        for (int run = 0; run < RUNS; run++) {
            int n = sizeOf(run);
            List<Integer> got = new ArrayList<>();
            Throwable end = catchThrowable(() -> flux.pushThenAbort(n).doOnNext(got::add).blockLast(Duration.ofSeconds(10)));
            assertThat(got).as("run %d", run).isEqualTo(upTo(n));
            assertThat(end).as("run %d", run).isInstanceOfSatisfying(RemoteCallException.class, ex -> {
                assertThat(ex.status()).isEqualTo(Status.APPLICATION_ERROR);
                assertThat(ex.description()).isEqualTo("stop at " + n);
            });
        }
        assertThat(this.client.openPipes()).isEmpty();
    }

    @Test
    void anInPipeAbortedByTheCallerDeliversEveryElementBeforeTheAbort() throws Exception {
        OrderedCaller caller = this.client.proxy(OrderedCaller.class);
        for (int run = 0; run < RUNS; run++) {
            int n = sizeOf(run);
            InPipe<Integer> numbers = InPipe.create();
            CompletableFuture<String> call = caller.drain(numbers);
            for (int i = 0; i < n; i++) {
                numbers.push(i).toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
            numbers.abort(new IllegalStateException("caller stops at " + n));
            StringBuilder expected = new StringBuilder();
            upTo(n).forEach(i -> expected.append(i).append(','));
            assertThat(call.get(10, TimeUnit.SECONDS)).as("run %d", run).isEqualTo(expected + "APPLICATION_ERROR:caller stops at " + n);
        }
        assertThat(this.server.openPipes()).isEmpty();
    }

    @Test
    void aFailedCallReachesTheReaderAfterTheElementsPushedBeforeIt() throws Exception {
        OrderedCaller caller = this.client.proxy(OrderedCaller.class);
        for (int run = 0; run < 100; run++) {
            int n = sizeOf(run);
            OutPipe<Integer> numbers = OutPipe.create();
            CompletableFuture<Void> call = caller.pushThenThrow(n, numbers);
            assertThat(catchThrowable(() -> call.get(10, TimeUnit.SECONDS))).hasCauseInstanceOf(RemoteCallException.class);
            List<Integer> got = new ArrayList<>();
            Throwable end = catchThrowable(() -> numbers.forEach(got::add));
            assertThat(got).as("run %d", run).isEqualTo(upTo(n));
            assertThat(end).as("run %d", run).isInstanceOf(RemoteCallException.class);
        }
        assertThat(this.client.openPipes()).isEmpty();
    }

    @Test
    void unreadElementsAreReleasedWhenThePipeIsDropped() throws Exception {
        OrderedCaller caller = this.client.proxy(OrderedCaller.class);
        for (int i = 0; i < 20; i++) {
            OutPipe<Integer> numbers = OutPipe.create();
            caller.pushThenClose(10, numbers).get(10, TimeUnit.SECONDS);
        }
        // the pipes are unreachable now: their elements were never read
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!this.client.openPipes().isEmpty() && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(20); // garbage collection cannot be awaited otherwise
        }
        assertThat(this.client.openPipes()).as("pipes holding unread elements").isEmpty();
    }

    @Test
    void unreadElementsAreListedUntilReadAndReleasedWhenTheClientCloses() throws Exception {
        OrderedCaller caller = this.client.proxy(OrderedCaller.class);
        OutPipe<Integer> read = OutPipe.create();
        caller.pushThenClose(10, read).get(10, TimeUnit.SECONDS);
        OutPipe<Integer> unread = OutPipe.create();
        caller.pushThenAbort(10, unread).get(10, TimeUnit.SECONDS);
        assertThat(this.client.openPipes()).hasSize(2).allSatisfy(p -> assertThat(p.bufferedBytes()).isPositive());
        List<Integer> got = new ArrayList<>();
        read.forEach(got::add);
        assertThat(got).isEqualTo(upTo(10));
        assertThat(this.client.openPipes()).hasSize(1);
        this.client.close();
        assertThat(this.client.openPipes()).isEmpty();
        assertThatThrownBy(() -> unread.pull(10)).isInstanceOfSatisfying(RemoteCallException.class,
                ex -> assertThat(ex.status()).isEqualTo(Status.UNAVAILABLE));
    }
}
