package dev.asyncrpc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.asyncrpc.test.Calc;
import dev.asyncrpc.test.PlainCalc;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The opt-in direct modes: asynchronous implementations on the event loop, completions on the event loop. */
class DirectModeTests {

    @RemoteService("direct")
    interface Direct {
        @AsyncRemote
        AsyncCall<String> where(int n);
    }

    @RemoteService("direct")
    interface DirectEndpoint {
        @AsyncRemote
        CompletableFuture<String> where(int n);
    }

    /** Records the order and the thread its calls were dispatched on. */
    static final class Recorder implements DirectEndpoint {
        final List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        final List<String> threads = Collections.synchronizedList(new ArrayList<>());

        @Override
        public CompletableFuture<String> where(int n) {
            this.order.add(n);
            this.threads.add(Thread.currentThread().getName());
            return CompletableFuture.completedFuture(Thread.currentThread().getName());
        }
    }

    @Test
    void asynchronousImplementationsRunOnTheEventLoopInIssueOrder() {
        Recorder recorder = new Recorder();
        try (AsyncRpcServer server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(recorder).directDispatch(true).build().start();
                AsyncRpcClient client = AsyncRpcClient.builder().address(server.address()).directCompletion(true).build()) {
            Direct direct = client.proxy(Direct.class);
            List<AsyncCall<String>> calls = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                calls.add(direct.where(i));
            }
            for (AsyncCall<String> call : calls) {
                assertThat(call.join(Duration.ofSeconds(30))).startsWith("asyncrpc-server-io");
            }
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                expected.add(i);
            }
            assertThat(recorder.order).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void plainImplementationsStayOnTheWorkersAndCompletionsCanRunOnTheClientLoop() {
        PlainCalc impl = new PlainCalc();
        try (AsyncRpcServer server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(impl).directDispatch(true).build().start();
                AsyncRpcClient client = AsyncRpcClient.builder().address(server.address()).directCompletion(true).build()) {
            Calc calc = client.proxy(Calc.class);
            for (int i = 0; i < 100; i++) {
                assertThat(calc.add(i, 1)).isEqualTo(i + 1);
            }
            assertThat(impl.threads).allSatisfy(name -> assertThat(name).startsWith("asyncrpc-worker-"));
            CompletableFuture<String> thread = client.proxy(dev.asyncrpc.test.CalcAsync.class).echo("x")
                    .thenApply(v -> Thread.currentThread().getName());
            assertThat(thread.join()).satisfiesAnyOf(
                    name -> assertThat(name).startsWith("asyncrpc-client-io"),
                    name -> assertThat(name).isEqualTo(Thread.currentThread().getName())); // already complete when chained
        }
    }
}
