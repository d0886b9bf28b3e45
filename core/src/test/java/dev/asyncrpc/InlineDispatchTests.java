package dev.asyncrpc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The default adaptive inline dispatch of asynchronous implementations: on the workers while an
 * operation warms up, then on the event loop for small calls; back on the workers for good once its
 * invocations are slow; never for large arguments, intercepted services, or with the limit at 0.
 */
class InlineDispatchTests {

    /** More calls than the warm-up of an operation on the workers. */
    private static final int PAST_WARM_UP = 64;

    @RemoteService("inline")
    interface Inline {
        @AsyncRemote
        CompletableFuture<String> where(int n, byte[] data);

        @AsyncRemote
        CompletableFuture<String> slow(long parkMicros);
    }

    /** Records the order of its calls and the threads they ran on; {@code slow} parks as long as it is told to. */
    static final class Recorder implements Inline {
        final List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        final List<String> threads = Collections.synchronizedList(new ArrayList<>());

        @Override
        public CompletableFuture<String> where(int n, byte[] data) {
            this.order.add(n);
            this.threads.add(Thread.currentThread().getName());
            return CompletableFuture.completedFuture(Thread.currentThread().getName());
        }

        @Override
        public CompletableFuture<String> slow(long parkMicros) {
            if (parkMicros > 0) {
                // a misbehaving asynchronous implementation: it blocks its thread
                java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(parkMicros));
            }
            return CompletableFuture.completedFuture(Thread.currentThread().getName());
        }
    }

    private static List<String> callWhere(Inline inline, int from, int count, int size) {
        List<CompletableFuture<String>> calls = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            calls.add(inline.where(i, new byte[size]));
        }
        List<String> threads = new ArrayList<>();
        for (CompletableFuture<String> call : calls) {
            threads.add(call.orTimeout(30, TimeUnit.SECONDS).join());
        }
        return threads;
    }

    private static String join(CompletableFuture<String> call) {
        return call.orTimeout(30, TimeUnit.SECONDS).join();
    }

    @Test
    void smallCallsRunOnTheEventLoopAfterTheWarmUpInIssueOrder() {
        Recorder recorder = new Recorder();
        // a 10 s limit: this test is about which calls may run inline, not about timing (a loaded
        // machine must not demote the operation; demotion has its own test below)
        try (AsyncRpcServer server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(recorder)
                .inlineDispatchLimit(Duration.ofSeconds(10)).build().start();
                AsyncRpcClient client = AsyncRpcClient.builder().address(server.address()).build()) {
            Inline inline = client.proxy(Inline.class);
            for (int i = 0; i < PAST_WARM_UP; i++) {
                join(inline.where(i, new byte[8])); // one at a time: every one is timed on a worker
            }
            List<String> threads = callWhere(inline, PAST_WARM_UP, 2000, 8); // issued without waiting, one ordering key
            assertThat(recorder.threads.subList(0, 32)).allSatisfy(name -> assertThat(name).startsWith("asyncrpc-worker-"));
            assertThat(threads.get(threads.size() - 1)).startsWith("asyncrpc-server-io");
            assertThat(threads).filteredOn(name -> name.startsWith("asyncrpc-server-io")).hasSizeGreaterThan(1000);
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < PAST_WARM_UP + 2000; i++) {
                expected.add(i);
            }
            assertThat(recorder.order).containsExactlyElementsOf(expected);
            // large arguments are decoded on a worker
            assertThat(callWhere(inline, 0, 3, 16 * 1024)).allSatisfy(name -> assertThat(name).startsWith("asyncrpc-worker-"));
            assertThat(callWhere(inline, 0, 3, 1024)).allSatisfy(name -> assertThat(name).startsWith("asyncrpc-server-io"));
        }
    }

    @Test
    void anOperationWhoseInvocationsAreSlowGoesBackToTheWorkers() {
        Recorder recorder = new Recorder();
        try (AsyncRpcServer server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(recorder)
                .inlineDispatchLimit(Duration.ofMillis(2)).build().start();
                AsyncRpcClient client = AsyncRpcClient.builder().address(server.address()).build()) {
            Inline inline = client.proxy(Inline.class);
            for (int i = 0; i < PAST_WARM_UP; i++) {
                join(inline.slow(0));
            }
            assertThat(join(inline.slow(0))).startsWith("asyncrpc-server-io");
            // it starts blocking: three invocations of 20 ms each (the limit is 2 ms), on the event loop
            for (int i = 0; i < 3; i++) {
                join(inline.slow(20_000));
            }
            for (int i = 0; i < PAST_WARM_UP; i++) {
                assertThat(join(inline.slow(0))).startsWith("asyncrpc-worker-");
            }
            // the other operation of the service keeps its own gate
            callWhere(inline, 0, PAST_WARM_UP, 8);
            assertThat(join(inline.where(0, new byte[8]))).startsWith("asyncrpc-server-io");
        }
    }

    @Test
    void aLimitOfZeroKeepsAsynchronousImplementationsOnTheWorkers() {
        Recorder recorder = new Recorder();
        try (AsyncRpcServer server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(recorder)
                .inlineDispatchLimit(Duration.ZERO).build().start();
                AsyncRpcClient client = AsyncRpcClient.builder().address(server.address()).build()) {
            Inline inline = client.proxy(Inline.class);
            assertThat(callWhere(inline, 0, 4 * PAST_WARM_UP, 8)).allSatisfy(name -> assertThat(name).startsWith("asyncrpc-worker-"));
        }
    }

    @Test
    void servicesWithInterceptorsStayOnTheWorkers() {
        Recorder recorder = new Recorder();
        ServerInterceptor passing = call -> null;
        try (AsyncRpcServer server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(recorder).interceptor(passing).build().start();
                AsyncRpcClient client = AsyncRpcClient.builder().address(server.address()).build()) {
            Inline inline = client.proxy(Inline.class);
            for (int i = 0; i < PAST_WARM_UP; i++) {
                join(inline.where(i, new byte[8]));
            }
            assertThat(callWhere(inline, 0, PAST_WARM_UP, 8)).allSatisfy(name -> assertThat(name).startsWith("asyncrpc-worker-"));
        }
    }

    @Test
    void interceptorsThatDoNotBlockForACallLetItRunOnTheEventLoop() {
        Recorder recorder = new Recorder();
        ServerInterceptor nonBlockingWhenMarked = new ServerInterceptor() {
            @Override
            public CallListener intercept(Call call) {
                return null;
            }

            @Override
            public boolean mayRunOnEventLoop(ServerCall call) {
                return "yes".equals(call.metadata().get("inline"));
            }
        };
        try (AsyncRpcServer server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(recorder)
                .interceptor(nonBlockingWhenMarked).inlineDispatchLimit(Duration.ofSeconds(10)).build().start();
                AsyncRpcClient client = AsyncRpcClient.builder().address(server.address()).build()) {
            Inline plain = client.proxy(Inline.class);
            Inline marked = client.proxy(Inline.class, CallOptions.DEFAULT.withMetadata("inline", "yes"));
            for (int i = 0; i < PAST_WARM_UP; i++) {
                join(plain.where(i, new byte[8]));
            }
            assertThat(callWhere(plain, 0, PAST_WARM_UP, 8)).as("an interceptor that may block for these calls")
                .allSatisfy(name -> assertThat(name).startsWith("asyncrpc-worker-"));
            assertThat(callWhere(marked, 0, PAST_WARM_UP, 8)).as("an interceptor that will not block for these calls")
                .allSatisfy(name -> assertThat(name).doesNotStartWith("asyncrpc-worker-"));
        }
    }

    @Test
    void theLimitMustNotBeNegative() {
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> AsyncRpcServer.builder().inlineDispatchLimit(Duration.ofMillis(-1)))
                .withMessageContaining("inlineDispatchLimit");
    }
}
