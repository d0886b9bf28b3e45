package dev.asyncrpc;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The read-only views that metrics, health and the Actuator endpoint use: pending calls, served operations, accepting. */
class IntrospectionTests {

    @RemoteService("hold")
    interface Hold {
        @AsyncRemote
        AsyncCall<String> hold(String key);

        String now(String key);
    }

    @RemoteService("hold")
    interface HoldEndpoint {
        @AsyncRemote
        CompletableFuture<String> hold(String key);

        String now(String key);
    }

    /** Holds every {@code hold} call until {@link #release} completes it. */
    static final class Holder implements HoldEndpoint {
        final CompletableFuture<String> release = new CompletableFuture<>();
        final CountDownLatch arrived;

        Holder(int calls) {
            this.arrived = new CountDownLatch(calls);
        }

        @Override
        public CompletableFuture<String> hold(String key) {
            this.arrived.countDown();
            return this.release.thenApply((v) -> key + v);
        }

        @Override
        public String now(String key) {
            return key;
        }
    }

    @Test
    void pendingCallSnapshotListsUnansweredCallsWithTheirAgeAndForgetsThemOnceAnswered() throws Exception {
        Holder holder = new Holder(2);
        try (AsyncRpcServer server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(holder).build().start();
                AsyncRpcClient client = AsyncRpcClient.builder().address(server.address()).build()) {
            Hold hold = client.proxy(Hold.class);
            assertThat(client.pendingCallSnapshot()).isEmpty();
            AsyncCall<String> first = hold.hold("a");
            AsyncCall<String> second = hold.hold("b");
            assertThat(holder.arrived.await(10, TimeUnit.SECONDS)).isTrue();
            List<PendingCallInfo> pending = client.pendingCallSnapshot();
            assertThat(pending).hasSize(2).allSatisfy((call) -> {
                assertThat(call.service()).isEqualTo("hold");
                assertThat(call.operation()).isEqualTo("hold");
                assertThat(call.state()).isEqualTo(CallState.PENDING);
                assertThat(call.age()).isPositive();
            });
            assertThat(pending.get(0).age()).as("oldest first").isGreaterThanOrEqualTo(pending.get(1).age());
            assertThat(hold.now("x")).isEqualTo("x");
            assertThat(client.pendingCallSnapshot()).hasSize(2);

            second.cancel(CancelMode.ABORTIVE);
            holder.release.complete("!");
            assertThat(first.join(Duration.ofSeconds(10))).isEqualTo("a!");
            // the abortively cancelled call leaves the table when its server's late answer arrives
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!client.pendingCallSnapshot().isEmpty() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(client.pendingCallSnapshot()).isEmpty();
            assertThat(client.pendingCalls()).isZero();
        }
    }

    @Test
    void serverListsItsOperationsAndWhetherEachIsAsynchronous() {
        try (AsyncRpcServer server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(new Holder(0)).build()) {
            assertThat(server.operations()).extracting(CallObserver.CallInfo::service, CallObserver.CallInfo::operation,
                    CallObserver.CallInfo::async)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("hold", "hold", true),
                        org.assertj.core.groups.Tuple.tuple("hold", "now", false));
            assertThat(server.operations()).allSatisfy((op) -> assertThat(op.side()).isEqualTo(CallObserver.CallInfo.Side.SERVER));
        }
    }

    @RemoteService("piped")
    interface Piped {
        long both(String name, OutPipe<String> out, InPipe<byte[]> in);

        int none(int n);
    }

    @Test
    void serverSaysWhichPipesEachOperationTakes() {
        Piped impl = new Piped() {
            @Override
            public long both(String name, OutPipe<String> out, InPipe<byte[]> in) {
                return 0;
            }

            @Override
            public int none(int n) {
                return n;
            }
        };
        try (AsyncRpcServer server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(impl).build()) {
            assertThat(server.operations()).hasSize(2).allSatisfy((op) -> assertThat(server.pipes(op))
                .isEqualTo(op.operation().equals("both") ? List.of(PipeInfo.Direction.OUT, PipeInfo.Direction.IN) : List.of()));
            assertThat(server.pipes(new CallObserver.CallInfo(CallObserver.CallInfo.Side.SERVER, "piped", "missing", false))).isEmpty();
        }
    }

    @Test
    void serverAcceptsFromStartUntilADrainBegins() throws Exception {
        Holder holder = new Holder(1);
        AsyncRpcServer server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(holder).build();
        assertThat(server.isAccepting()).as("before start").isFalse();
        server.start();
        assertThat(server.isAccepting()).isTrue();
        try (AsyncRpcClient client = AsyncRpcClient.builder().address(server.address()).build()) {
            AsyncCall<String> call = client.proxy(Hold.class).hold("k");
            assertThat(holder.arrived.await(10, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<Integer> drain = CompletableFuture.supplyAsync(() -> server.shutdown(Duration.ofSeconds(10)));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (server.isAccepting() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(server.isAccepting()).as("while draining").isFalse();
            assertThat(drain).isNotDone();
            holder.release.complete("");
            assertThat(call.join(Duration.ofSeconds(10))).isEqualTo("k");
            assertThat(drain.get(10, TimeUnit.SECONDS)).isZero();
            assertThat(server.isAccepting()).as("closed").isFalse();
        }
        finally {
            server.close();
        }
    }
}
