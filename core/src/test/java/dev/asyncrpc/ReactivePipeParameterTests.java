package dev.asyncrpc;

import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.reactivestreams.Publisher;
import reactor.adapter.JdkFlowAdapter;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Streaming types in pipe positions, with no adapter in user code: a caller passes a {@code Flux},
 * a Reactive Streams {@code Publisher} or a {@code Flow.Publisher} where the operation has an
 * in-pipe; an implementer declares a {@code Flux}, {@code Publisher} or {@code Flow.Publisher}
 * parameter in place of {@code InPipe}, and returns a {@code Flux} in place of an out-pipe. Demand
 * maps to credit in every case. Types that cannot travel are refused when the proxy or the service
 * is made.
 */
@Timeout(120)
class ReactivePipeParameterTests {

    static final int COUNT = 100_000;

    /** A record streamed through the pipes. */
    public record Rec(int seq, String name) {
    }

    /** The implementer's view: publisher parameters and a Flux return. */
    @RemoteService("records")
    public interface RecordsService {

        @AsyncRemote
        CompletableFuture<Long> upload(Flux<Rec> records);

        @AsyncRemote
        CompletableFuture<Long> uploadPublisher(Publisher<Rec> records);

        @AsyncRemote
        CompletableFuture<Long> uploadFlow(Flow.Publisher<Rec> records);

        @AsyncRemote
        Flux<Rec> list(int count, int failAt);
    }

    /** A caller passing a Flux. */
    @RemoteService("records")
    public interface FluxCaller {

        @AsyncRemote
        CompletableFuture<Long> upload(Flux<Rec> records);

        @AsyncRemote
        Flux<Rec> list(int count, int failAt);
    }

    /** A caller passing Reactive Streams publishers, to the Flux operation and to the Publisher one. */
    @RemoteService("records")
    public interface PublisherCaller {

        @AsyncRemote
        CompletableFuture<Long> upload(Publisher<Rec> records);

        @AsyncRemote
        CompletableFuture<Long> uploadPublisher(Publisher<Rec> records);
    }

    /** A caller passing a Flow.Publisher, and one with a plain InPipe: all the same in-pipe on the wire. */
    @RemoteService("records")
    public interface FlowCaller {

        @AsyncRemote
        CompletableFuture<Long> uploadFlow(Flow.Publisher<Rec> records);

        @AsyncRemote
        CompletableFuture<Long> upload(InPipe<Rec> records);
    }

    static final class RecordsEndpoint implements RecordsService {

        final AtomicLong largestRequest = new AtomicLong();
        final AtomicInteger requests = new AtomicInteger();
        final AtomicInteger outOfOrder = new AtomicInteger();

        private CompletableFuture<Long> consume(Flux<Rec> records) {
            AtomicInteger next = new AtomicInteger();
            return records
                .doOnRequest((n) -> {
                    this.requests.incrementAndGet();
                    this.largestRequest.accumulateAndGet(n, Math::max);
                })
                .limitRate(64)
                .doOnNext((r) -> {
                    if (r.seq() != next.getAndIncrement() || !r.name().equals("r" + r.seq())) {
                        this.outOfOrder.incrementAndGet();
                    }
                })
                .count()
                .toFuture();
        }

        @Override
        public CompletableFuture<Long> upload(Flux<Rec> records) {
            return consume(records);
        }

        @Override
        public CompletableFuture<Long> uploadPublisher(Publisher<Rec> records) {
            return consume(Flux.from(records));
        }

        @Override
        public CompletableFuture<Long> uploadFlow(Flow.Publisher<Rec> records) {
            return consume(JdkFlowAdapter.flowPublisherToFlux(records));
        }

        @Override
        public Flux<Rec> list(int count, int failAt) {
            Flux<Rec> elements = Flux.range(0, count).map((i) -> new Rec(i, "r" + i));
            return (failAt < 0) ? elements : elements.take(failAt).concatWith(Flux.error(new IllegalStateException("failed at " + failAt)));
        }
    }

    private RecordsEndpoint endpoint;

    private AsyncRpcServer server;

    private AsyncRpcClient client;

    @BeforeEach
    void start() {
        this.endpoint = new RecordsEndpoint();
        this.server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(this.endpoint).build().start();
        this.client = AsyncRpcClient.builder().address(this.server.address()).build();
    }

    @AfterEach
    void stop() {
        this.client.close();
        this.server.close();
    }

    private static Flux<Rec> source(AtomicLong largestDemand, AtomicInteger demands) {
        return Flux.range(0, COUNT).map((i) -> new Rec(i, "r" + i)).doOnRequest((n) -> {
            demands.incrementAndGet();
            largestDemand.accumulateAndGet(n, Math::max);
        });
    }

    @Test
    void aFluxArgumentReachesAFluxParameterInOrderWithDemandMappedToCredit() throws Exception {
        AtomicLong largestDemand = new AtomicLong();
        AtomicInteger demands = new AtomicInteger();
        long received = this.client.proxy(FluxCaller.class).upload(source(largestDemand, demands)).get(60, TimeUnit.SECONDS);
        assertThat(received).isEqualTo(COUNT);
        assertThat(this.endpoint.outOfOrder).hasValue(0);
        // the implementer's limitRate(64) is what its pipe sees: never more than 64 at a time
        assertThat(this.endpoint.largestRequest.get()).isEqualTo(64);
        assertThat(this.endpoint.requests.get()).isGreaterThan(COUNT / 64);
        // the caller's source is asked only for what credit allows, never for everything at once
        assertThat(largestDemand.get()).isLessThan(COUNT);
        assertThat(demands.get()).isGreaterThan(1);
    }

    @Test
    void aReactiveStreamsPublisherWorksOnBothSides() throws Exception {
        AtomicLong largestDemand = new AtomicLong();
        AtomicInteger demands = new AtomicInteger();
        Publisher<Rec> publisher = source(largestDemand, demands);
        assertThat(this.client.proxy(PublisherCaller.class).uploadPublisher(publisher).get(60, TimeUnit.SECONDS)).isEqualTo(COUNT);
        assertThat(this.endpoint.outOfOrder).hasValue(0);
        assertThat(this.endpoint.largestRequest.get()).isEqualTo(64);
        assertThat(largestDemand.get()).isLessThan(COUNT);
        // a Publisher argument to the operation whose implementer takes a Flux: the same in-pipe
        assertThat(this.client.proxy(PublisherCaller.class).upload(Flux.range(0, 10).map((i) -> new Rec(i, "r" + i)))
            .get(30, TimeUnit.SECONDS)).isEqualTo(10);
    }

    @Test
    void aFlowPublisherAndAnInPipeAreTheSameInPipe() throws Exception {
        Flow.Publisher<Rec> flow = JdkFlowAdapter.publisherToFlowPublisher(Flux.range(0, 1000).map((i) -> new Rec(i, "r" + i)));
        assertThat(this.client.proxy(FlowCaller.class).uploadFlow(flow).get(30, TimeUnit.SECONDS)).isEqualTo(1000);
        InPipe<Rec> pipe = InPipe.create();
        CompletableFuture<Long> call = this.client.proxy(FlowCaller.class).upload(pipe);
        pipe.push(new Rec(0, "r0"), new Rec(1, "r1"));
        pipe.close();
        assertThat(call.get(30, TimeUnit.SECONDS)).isEqualTo(2);
        assertThat(this.endpoint.outOfOrder).hasValue(0);
    }

    @Test
    void anImplementersFluxReturnStreamsToTheCallerInOrder() {
        List<Rec> got = this.client.proxy(FluxCaller.class).list(COUNT, -1).collectList().block(Duration.ofSeconds(60));
        assertThat(got).hasSize(COUNT);
        for (int i = 0; i < COUNT; i++) {
            assertThat(got.get(i).seq()).isEqualTo(i);
        }
    }

    @Test
    void anImplementersFailingFluxDeliversEveryElementBeforeTheError() {
        for (int run = 0; run < 20; run++) {
            List<Rec> got = new CopyOnWriteArrayList<>();
            assertThatThrownBy(() -> this.client.proxy(FluxCaller.class).list(1000, 50).doOnNext(got::add).blockLast(Duration.ofSeconds(30)))
                .isInstanceOfSatisfying(RemoteCallException.class, (ex) -> {
                    assertThat(ex.status()).isEqualTo(Status.APPLICATION_ERROR);
                    assertThat(ex.getMessage()).contains("failed at 50");
                });
            assertThat(got).as("run %d", run).hasSize(50);
        }
    }

    @Test
    void aNullPublisherArgumentIsRefusedByTheIssuingCall() {
        assertThatThrownBy(() -> this.client.proxy(FluxCaller.class).upload(null))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("argument 1 of FluxCaller.upload(Flux) is null: pass a Flux");
    }

    /** Parameter types that cannot travel as values. */
    @RemoteService("bad")
    public interface MonoParameter {

        String take(Mono<String> value);
    }

    @RemoteService("bad")
    public interface StreamParameter {

        String take(Stream<String> values);
    }

    @RemoteService("bad")
    public interface InputStreamParameter {

        String take(InputStream data);
    }

    @RemoteService("bad")
    public interface FutureParameter {

        String take(CompletableFuture<String> value);
    }

    @Test
    void typesThatCannotTravelAreRefusedWhenTheProxyIsMade() {
        assertThatThrownBy(() -> this.client.proxy(MonoParameter.class)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("MonoParameter.take(Mono) takes a Mono as parameter 1, which cannot travel as a value: "
                    + "pass the value itself, or a Flux<T> (an in-pipe) for a stream");
        assertThatThrownBy(() -> this.client.proxy(StreamParameter.class)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("takes a stream or iterator as parameter 1");
        assertThatThrownBy(() -> this.client.proxy(InputStreamParameter.class)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("takes an I/O stream as parameter 1");
        assertThatThrownBy(() -> this.client.proxy(FutureParameter.class)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("takes a future or call handle as parameter 1");
    }

    @Test
    void typesThatCannotTravelAreRefusedWhenTheServiceIsMade() {
        MonoParameter implementation = (value) -> "never";
        assertThatThrownBy(() -> AsyncRpcServer.builder().port(0).service(implementation).build())
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("takes a Mono as parameter 1, which cannot travel as a value");
    }
}
