package dev.asyncrpc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Pipes end to end over TCP loopback: order and end of in- and out-pipes, the non-blocking pull,
 * several pipes per call, the wire order of out-pipe data and the reply, and the rules of each end.
 */
class PipeTests {

    /** What an implementation saw of an in-pipe. */
    public record Check(long count, boolean inOrder, boolean sawEnd) {
    }

    /** What an implementation saw when it pulled before any data was there. */
    public record Probe(boolean firstPullEmpty, long firstPullNanos, List<Integer> afterAvailable) {
    }

    @RemoteService("numbers")
    public interface Numbers {

        /** Drain the pipe with pull and onAvailable, checking that it carries 0, 1, 2, ... */
        @AsyncRemote
        CompletableFuture<Check> check(InPipe<Integer> numbers);

        /** Push 0 .. count-1 in chunks, close, and complete at once (the reply waits for the data). */
        @AsyncRemote
        CompletableFuture<Void> produce(int count, int chunk, OutPipe<Integer> numbers);

        /** Pull once at dispatch (nothing is there), then wait for data with onAvailable. */
        @AsyncRemote
        CompletableFuture<Probe> probe(InPipe<Integer> numbers);

        /** Several pipes: copy two in-pipes, in turn, to the out-pipe, doubled; return the total count. */
        int merge(InPipe<Integer> first, OutPipe<Integer> doubled, InPipe<Integer> second);
    }

    static final class NumbersEndpoint implements Numbers {

        final CountDownLatch probed = new CountDownLatch(1);

        @Override
        public CompletableFuture<Check> check(InPipe<Integer> numbers) {
            CompletableFuture<Check> result = new CompletableFuture<>();
            new Runnable() {
                long next;
                boolean inOrder = true;

                @Override
                public void run() {
                    while (true) {
                        List<Integer> got;
                        try {
                            got = numbers.pull(4096);
                        }
                        catch (RemoteCallException ex) {
                            result.completeExceptionally(ex); // the pipe failed: so does the call
                            return;
                        }
                        if (got.isEmpty()) {
                            if (numbers.isClosed()) {
                                result.complete(new Check(this.next, this.inOrder, true));
                            }
                            else {
                                numbers.onAvailable(this);
                            }
                            return;
                        }
                        for (int x : got) {
                            this.inOrder &= (x == this.next++);
                        }
                    }
                }
            }.run();
            return result;
        }

        @Override
        public CompletableFuture<Void> produce(int count, int chunk, OutPipe<Integer> numbers) {
            for (int i = 0; i < count; i += chunk) {
                List<Integer> part = new ArrayList<>(chunk);
                for (int j = i; j < Math.min(count, i + chunk); j++) {
                    part.add(j);
                }
                numbers.push(part);
            }
            numbers.close();
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Probe> probe(InPipe<Integer> numbers) {
            long t0 = System.nanoTime();
            boolean empty = numbers.pull(10).isEmpty();
            long took = System.nanoTime() - t0;
            CompletableFuture<Probe> result = new CompletableFuture<>();
            numbers.onAvailable(() -> {
                List<Integer> got = new ArrayList<>(numbers.pull(10));
                for (Integer x : numbers) {
                    got.add(x); // the rest, up to the end (blocking is fine on a worker)
                }
                result.complete(new Probe(empty, took, got));
            });
            this.probed.countDown();
            return result;
        }

        @Override
        public int merge(InPipe<Integer> first, OutPipe<Integer> doubled, InPipe<Integer> second) {
            int n = 0;
            for (InPipe<Integer> in : List.of(first, second)) {
                for (int x : in) {
                    doubled.push(2 * x).toCompletableFuture().join();
                    n++;
                }
            }
            doubled.close();
            return n;
        }
    }

    private NumbersEndpoint endpoint;
    private AsyncRpcServer server;
    private AsyncRpcClient client;
    private Numbers numbers;

    @BeforeEach
    void start() {
        this.endpoint = new NumbersEndpoint();
        this.server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(this.endpoint).build().start();
        this.client = AsyncRpcClient.builder().address(this.server.address()).build();
        this.numbers = this.client.proxy(Numbers.class);
    }

    @AfterEach
    void stop() {
        this.client.close();
        this.server.close();
    }

    @Test
    void inPipeCarriesAMillionIntsInOrderThenTheEnd() throws Exception {
        InPipe<Integer> pipe = InPipe.create();
        CompletableFuture<Check> check = this.numbers.check(pipe);
        CompletableFuture<Void> last = null;
        for (int i = 0; i < 1_000_000; i += 1000) {
            List<Integer> chunk = new ArrayList<>(1000);
            for (int j = i; j < i + 1000; j++) {
                chunk.add(j);
            }
            last = pipe.push(chunk).toCompletableFuture();
        }
        pipe.close();
        assertThat(check.get(60, TimeUnit.SECONDS)).isEqualTo(new Check(1_000_000, true, true));
        assertThat(last).isCompleted();
        assertThat(pipe.isClosed()).isTrue();
    }

    @Test
    void emptyInPipeEndsWithZeroElements() throws Exception {
        InPipe<Integer> pipe = InPipe.create();
        CompletableFuture<Check> check = this.numbers.check(pipe);
        pipe.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(check.get(10, TimeUnit.SECONDS)).isEqualTo(new Check(0, true, true));
    }

    @Test
    void outPipeCarriesAMillionIntsInOrderThenTheEnd() throws Exception {
        OutPipe<Integer> pipe = OutPipe.create();
        CompletableFuture<Void> call = this.numbers.produce(1_000_000, 1000, pipe);
        int next = 0;
        boolean inOrder = true;
        for (int x : pipe) {
            inOrder &= (x == next++);
        }
        assertThat(next).isEqualTo(1_000_000);
        assertThat(inOrder).isTrue();
        assertThat(pipe.isClosed()).isTrue();
        assertThat(pipe.pull(10)).isEmpty();
        call.get(10, TimeUnit.SECONDS);
    }

    @Test
    void emptyOutPipeEndsWithZeroElements() throws Exception {
        OutPipe<Integer> pipe = OutPipe.create();
        this.numbers.produce(0, 10, pipe).get(10, TimeUnit.SECONDS);
        assertThat(pipe.pull(10)).isEmpty();
        assertThat(pipe.isClosed()).isTrue();
        assertThat(pipe.iterator().hasNext()).isFalse();
    }

    @Test
    void outPipeDataArrivesBeforeTheResult() throws Exception {
        for (int run = 0; run < 50; run++) {
            OutPipe<Integer> pipe = OutPipe.create();
            CompletableFuture<Void> call = this.numbers.produce(5000, 100, pipe);
            // the pipe's data fits its window, so nothing needs to be pulled before the reply
            CompletableFuture<String> seenAtCompletion = call.thenApply(v -> pipe.pull(10_000).size() + " elements, closed " + pipe.isClosed());
            assertThat(seenAtCompletion.get(10, TimeUnit.SECONDS)).as("run %d", run).isEqualTo("5000 elements, closed true");
        }
    }

    @Test
    void pullOnAnEmptyPipeReturnsAtOnceAndOnAvailableFiresWhenDataArrives() throws Exception {
        // implementer's end: the caller has pushed nothing yet
        InPipe<Integer> in = InPipe.create();
        CompletableFuture<Probe> probe = this.numbers.probe(in);
        assertThat(this.endpoint.probed.await(10, TimeUnit.SECONDS)).isTrue();
        in.push(7, 8);
        in.close();
        Probe p = probe.get(10, TimeUnit.SECONDS);
        assertThat(p.firstPullEmpty()).isTrue();
        assertThat(Duration.ofNanos(p.firstPullNanos())).isLessThan(Duration.ofMillis(50));
        assertThat(p.afterAvailable()).containsExactly(7, 8);

        // caller's end: nothing arrives before the implementation pushes
        OutPipe<Integer> out = OutPipe.create();
        long t0 = System.nanoTime();
        assertThat(out.pull(10)).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(50));
        assertThat(out.isClosed()).isFalse();
        CountDownLatch available = new CountDownLatch(1);
        out.onAvailable(available::countDown);
        assertThat(available.getCount()).isEqualTo(1);
        CompletableFuture<Void> call = this.numbers.produce(3, 3, out);
        assertThat(available.await(10, TimeUnit.SECONDS)).isTrue();
        call.get(10, TimeUnit.SECONDS);
        assertThat(out.pull(10)).containsExactly(0, 1, 2);
        assertThat(out.isClosed()).isTrue();
    }

    @Test
    void severalPipesInOneCallKeepTheirOwnStreams() throws Exception {
        Numbers plain = this.numbers;
        InPipe<Integer> first = InPipe.create();
        InPipe<Integer> second = InPipe.create();
        OutPipe<Integer> doubled = OutPipe.create();
        first.push(1, 2, 3);
        first.close();
        second.push(10, 20);
        second.close();
        CompletableFuture<Integer> count = CompletableFuture.supplyAsync(() -> plain.merge(first, doubled, second));
        List<Integer> got = new ArrayList<>();
        doubled.forEach(got::add);
        assertThat(got).containsExactly(2, 4, 6, 20, 40);
        assertThat(count.get(10, TimeUnit.SECONDS)).isEqualTo(5);
    }

    @Test
    void pipesWorkOverTheInJvmTransport() throws Exception {
        try (AsyncRpcServer local = AsyncRpcServer.builder().address("local:pipe-tests").service(new NumbersEndpoint()).build().start();
                AsyncRpcClient c = AsyncRpcClient.builder().address("local:pipe-tests").build()) {
            Numbers n = c.proxy(Numbers.class);
            InPipe<Integer> in = InPipe.create();
            CompletableFuture<Check> check = n.check(in);
            for (int i = 0; i < 100_000; i += 500) {
                List<Integer> chunk = new ArrayList<>();
                for (int j = i; j < i + 500; j++) {
                    chunk.add(j);
                }
                in.push(chunk);
            }
            in.close();
            assertThat(check.get(30, TimeUnit.SECONDS)).isEqualTo(new Check(100_000, true, true));
            OutPipe<Integer> out = OutPipe.create();
            CompletableFuture<Void> call = n.produce(100_000, 700, out);
            int next = 0;
            boolean inOrder = true;
            for (int x : out) {
                inOrder &= (x == next++);
            }
            call.get(30, TimeUnit.SECONDS);
            assertThat(next).isEqualTo(100_000);
            assertThat(inOrder).isTrue();
        }
    }

    @Test
    void pipesWorkThroughABalancedBinding() throws Exception {
        try (AsyncRpcServer second = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(new NumbersEndpoint()).build().start();
                AsyncRpcClient balanced = AsyncRpcClient.builder().address(this.server.address() + "," + second.address()).build()) {
            Numbers n = balanced.proxy(Numbers.class);
            for (int call = 0; call < 6; call++) {
                InPipe<Integer> in = InPipe.create();
                CompletableFuture<Check> check = n.check(in);
                in.push(List.of(0, 1, 2, 3));
                in.close();
                assertThat(check.get(10, TimeUnit.SECONDS)).isEqualTo(new Check(4, true, true));
                OutPipe<Integer> out = OutPipe.create();
                n.produce(1000, 10, out).get(10, TimeUnit.SECONDS);
                assertThat(out.pull(2000)).hasSize(1000);
                assertThat(out.isClosed()).isTrue();
            }
            assertThat(balanced.openPipes()).isEmpty();
        }
    }

    @Test
    void eachEndRefusesTheOtherEndsOperations() throws Exception {
        InPipe<Integer> in = InPipe.create();
        assertThatThrownBy(() -> in.pull(1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("pull is an operation of the receiving end, but this is the caller's end of InPipe");
        assertThatThrownBy(in::iterator).isInstanceOf(IllegalStateException.class);
        OutPipe<Integer> out = OutPipe.create();
        assertThatThrownBy(() -> out.push(1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("push is an operation of the sending end, but this is the caller's end of OutPipe");
        assertThatThrownBy(out::close).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> out.abort(new RuntimeException())).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void pushAfterCloseOrAbortThrowsAndAbortReachesTheReceiver() throws Exception {
        InPipe<Integer> closed = InPipe.create();
        closed.close();
        assertThatThrownBy(() -> closed.push(1)).isInstanceOf(IllegalStateException.class).hasMessageContaining("push after close");

        InPipe<Integer> aborted = InPipe.create();
        CompletableFuture<Check> check = this.numbers.check(aborted);
        aborted.push(0, 1, 2).toCompletableFuture().get(10, TimeUnit.SECONDS);
        aborted.abort(new RemoteCallException(Status.INVALID_ARGUMENT, "bad input"));
        assertThatThrownBy(() -> aborted.push(3)).isInstanceOf(IllegalStateException.class).hasMessageContaining("push after abort");
        assertThatThrownBy(() -> check.get(10, TimeUnit.SECONDS)).cause().isInstanceOfSatisfying(RemoteCallException.class, ex -> {
            assertThat(ex.status()).isEqualTo(Status.INVALID_ARGUMENT);
            assertThat(ex.description()).isEqualTo("bad input");
        });
    }

    @Test
    void aPipeServesOneCall() {
        InPipe<Integer> pipe = InPipe.create();
        this.numbers.check(pipe);
        assertThatThrownBy(() -> this.numbers.check(pipe)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("was already passed to a call (numbers/check): make a new pipe for each call");
        pipe.close();
        assertThatThrownBy(() -> this.numbers.check(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("argument 1 of Numbers.check(InPipe) is null: pass a new pipe, InPipe.create() or InPipe.from(publisher)");
    }

    @Test
    void openPipesAreRegisteredWithTheirDirectionAndCounters() throws Exception {
        InPipe<Integer> pipe = InPipe.create();
        CompletableFuture<Probe> probe = this.numbers.probe(pipe);
        assertThat(this.endpoint.probed.await(10, TimeUnit.SECONDS)).isTrue();
        pipe.push(1, 2, 3);
        pipe.whenSent().toCompletableFuture().get(10, TimeUnit.SECONDS);
        List<PipeInfo> callerSide = this.client.openPipes();
        assertThat(callerSide).singleElement().satisfies(info -> {
            assertThat(info.operation()).isEqualTo("numbers/probe");
            assertThat(info.direction()).isEqualTo(PipeInfo.Direction.IN);
            assertThat(info.sending()).isTrue();
            assertThat(info.elements()).isEqualTo(3);
            assertThat(info.window()).isEqualTo(1024 * 1024);
            assertThat(info.unacknowledgedBytes()).isEqualTo(info.bytes()).isPositive();
        });
        assertThat(this.server.openPipes()).singleElement().satisfies(info -> {
            assertThat(info.direction()).isEqualTo(PipeInfo.Direction.IN);
            assertThat(info.sending()).isFalse();
        });
        pipe.close();
        probe.get(10, TimeUnit.SECONDS);
        assertThat(this.client.openPipes()).isEmpty();
        assertThat(this.server.openPipes()).isEmpty();
    }

    @Test
    void pipeTotalsCountOpenAndEndedPipesByDirectionOnBothSides() throws Exception {
        assertThat(this.client.pipeTotals()).isEqualTo(PipeTotals.ZERO);
        assertThat(this.server.pipeTotals()).isEqualTo(PipeTotals.ZERO);

        // an in-pipe, open: its counts are in the totals already
        InPipe<Integer> in = InPipe.create();
        CompletableFuture<Probe> probe = this.numbers.probe(in);
        assertThat(this.endpoint.probed.await(10, TimeUnit.SECONDS)).isTrue();
        in.push(1, 2, 3);
        in.whenSent().toCompletableFuture().get(10, TimeUnit.SECONDS);
        PipeTotals whileOpen = this.client.pipeTotals();
        assertThat(whileOpen.inElements()).isEqualTo(3);
        assertThat(whileOpen.inBytes()).isPositive();
        assertThat(whileOpen.outElements()).isZero();
        assertThat(whileOpen.pipesOpened()).isEqualTo(1);
        in.push(4, 5).toCompletableFuture().get(10, TimeUnit.SECONDS);
        in.close();
        assertThat(probe.get(10, TimeUnit.SECONDS).afterAvailable()).containsExactly(1, 2, 3, 4, 5);
        awaitNoOpenPipes();

        // ended: the totals stay
        PipeTotals clientAfterIn = this.client.pipeTotals();
        PipeTotals serverAfterIn = this.server.pipeTotals();
        assertThat(clientAfterIn.inElements()).isEqualTo(5);
        assertThat(clientAfterIn.inBytes()).isGreaterThan(whileOpen.inBytes());
        assertThat(serverAfterIn.inElements()).isEqualTo(5);
        assertThat(serverAfterIn.inBytes()).isEqualTo(clientAfterIn.inBytes());
        assertThat(clientAfterIn.pipesOpened()).isEqualTo(1);
        assertThat(serverAfterIn.pipesOpened()).isEqualTo(1);
        assertThat(this.client.pipeTotals()).isEqualTo(clientAfterIn);

        // an out-pipe: counted by its own direction, the in totals unchanged
        OutPipe<Integer> out = OutPipe.create();
        CompletableFuture<Void> call = this.numbers.produce(100, 10, out);
        int received = 0;
        for (int ignored : out) {
            received++;
        }
        call.get(10, TimeUnit.SECONDS);
        assertThat(received).isEqualTo(100);
        awaitNoOpenPipes();
        PipeTotals client = this.client.pipeTotals();
        PipeTotals server = this.server.pipeTotals();
        for (PipeTotals totals : List.of(client, server)) {
            assertThat(totals.inElements()).isEqualTo(5);
            assertThat(totals.inBytes()).isEqualTo(clientAfterIn.inBytes());
            assertThat(totals.outElements()).isEqualTo(100);
            assertThat(totals.elements(PipeInfo.Direction.OUT)).isEqualTo(100);
            assertThat(totals.pipesOpened()).isEqualTo(2);
            assertThat(totals.stalled()).isGreaterThanOrEqualTo(Duration.ZERO);
        }
        assertThat(client.outBytes()).isPositive().isEqualTo(server.outBytes());
        assertThat(client.bytes(PipeInfo.Direction.OUT)).isEqualTo(client.outBytes());
    }

    private void awaitNoOpenPipes() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while ((!this.client.openPipes().isEmpty() || !this.server.openPipes().isEmpty()) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(this.client.openPipes()).isEmpty();
        assertThat(this.server.openPipes()).isEmpty();
    }
}
