package dev.asyncrpc;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.asyncrpc.test.Calc;
import dev.asyncrpc.test.PlainCalc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each error case reaches the caller with its status through the handle. */
class ErrorTests {

    @RemoteService("calc")
    interface WrongTypes {
        @AsyncRemote
        AsyncCall<Integer> add(String a, String b);

        @AsyncRemote
        AsyncCall<String> divide(int a, int b);
    }

    @RemoteService("nowhere")
    interface Unknown {
        @AsyncRemote
        AsyncCall<String> hello();
    }

    @RemoteService("calc")
    interface Anything {
        @AsyncRemote
        AsyncCall<String> echo(Object anything);
    }

    @RemoteService("slow")
    interface Slow {
        @AsyncRemote
        CompletableFuture<String> hold(String key);
    }

    /** Holds every call until released. */
    static final class Holding implements Slow {
        final CountDownLatch arrived = new CountDownLatch(1);
        final CompletableFuture<String> release = new CompletableFuture<>();

        @Override
        public CompletableFuture<String> hold(String key) {
            this.arrived.countDown();
            return this.release;
        }
    }

    /** A value whose encoding fails. */
    static final class Bomb {
        public String getValue() {
            throw new IllegalStateException("boom");
        }
    }

    private AsyncRpcServer server;
    private AsyncRpcClient client;

    @AfterEach
    void close() {
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

    private static RemoteCallException failure(AsyncCall<?> call) {
        try {
            call.join(Duration.ofSeconds(10));
        }
        catch (RemoteCallException ex) {
            assertThat(call.state()).isIn(CallState.FAILED, CallState.CANCELLED);
            return ex;
        }
        throw new AssertionError("call succeeded: " + call);
    }

    @Test
    void unknownServiceIsUnimplementedAndNamesWhatIsServed() {
        RemoteCallException ex = failure(start(new PlainCalc()).proxy(Unknown.class).hello());
        assertThat(ex.status()).isEqualTo(Status.UNIMPLEMENTED);
        assertThat(ex.description()).isEqualTo("no service 'nowhere' on this server (serving: calc)");
    }

    @Test
    void unknownOperationIsUnimplemented() {
        RemoteCallException ex = failure(start(new PlainCalc()).proxy(WrongTypes.class).divide(1, 2));
        assertThat(ex.status()).isEqualTo(Status.UNIMPLEMENTED);
        assertThat(ex.description()).isEqualTo("service 'calc' has no operation 'divide'");
    }

    @Test
    void undecodableArgumentsAreInvalidArgument() {
        RemoteCallException ex = failure(start(new PlainCalc()).proxy(WrongTypes.class).add("one", "two"));
        assertThat(ex.status()).isEqualTo(Status.INVALID_ARGUMENT);
        assertThat(ex.description()).startsWith("argument 1 of calc/add: cannot decode");
    }

    @Test
    void argumentThatCannotBeEncodedIsThrownByTheIssuingCallAndNoHandleExists() {
        Anything anything = start(new PlainCalc()).proxy(Anything.class);
        assertThatThrownBy(() -> anything.echo(new Bomb()))
                .isInstanceOfSatisfying(RemoteCallException.class, ex -> {
                    assertThat(ex.status()).isEqualTo(Status.INVALID_ARGUMENT);
                    assertThat(ex.description()).startsWith("argument 1 of Anything.echo(Object)");
                });
    }

    @Test
    void callOnClosedClientThrowsAtOnce() {
        Calc calc = start(new PlainCalc()).proxy(Calc.class);
        assertThat(calc.add(1, 1)).isEqualTo(2);
        this.client.close();
        long start = System.nanoTime();
        assertThatThrownBy(() -> calc.add(1, 1))
                .isInstanceOfSatisfying(RemoteCallException.class, ex -> assertThat(ex.status()).isEqualTo(Status.UNAVAILABLE))
                .hasMessageContaining("the client is closed");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(100));
    }

    @Test
    void closingTheClientFailsPendingCallsWithUnavailable() throws Exception {
        Holding holding = new Holding();
        AsyncCall<String> call = Calls.handle(start(holding).proxy(Slow.class).hold("k"));
        assertThat(holding.arrived.await(10, TimeUnit.SECONDS)).isTrue();
        this.client.close();
        assertThat(failure(call).status()).isEqualTo(Status.UNAVAILABLE);
        holding.release.complete("late");
    }

    @Test
    void killingTheServerMidCallFailsPendingCallsWithUnavailableWithinOneSecond() throws Exception {
        Holding holding = new Holding();
        CompletableFuture<String> call = start(holding).proxy(Slow.class).hold("k");
        assertThat(holding.arrived.await(10, TimeUnit.SECONDS)).isTrue();
        long start = System.nanoTime();
        this.server.close();
        assertThatThrownBy(() -> call.get(1, TimeUnit.SECONDS))
                .hasCauseInstanceOf(RemoteCallException.class)
                .cause().satisfies(t -> assertThat(((RemoteCallException) t).status()).isEqualTo(Status.UNAVAILABLE));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
        holding.release.complete("late");
    }

    @Test
    void connectionRefusedFailsTheHandleWithUnavailableAndNextCallReconnects() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        this.client = AsyncRpcClient.builder().address("127.0.0.1:" + port).build();
        CalcAsyncView calc = new CalcAsyncView(this.client.proxy(dev.asyncrpc.test.CalcAsync.class));
        RemoteCallException ex = failure(calc.async().add(1, 2));
        assertThat(ex.status()).isEqualTo(Status.UNAVAILABLE);
        assertThat(ex.description()).contains("cannot connect to 127.0.0.1:" + port);

        this.server = AsyncRpcServer.builder().host("127.0.0.1").port(port).service(new PlainCalc()).build().start();
        assertThat(calc.async().add(1, 2).join(Duration.ofSeconds(10))).isEqualTo(3);
    }

    @Test
    void serverRestartIsSurvivedByReconnectingOnTheNextCall() {
        Calc calc = start(new PlainCalc()).proxy(Calc.class);
        assertThat(calc.add(1, 2)).isEqualTo(3);
        int port = this.server.port();
        this.server.close();
        this.server = AsyncRpcServer.builder().host("127.0.0.1").port(port).service(new PlainCalc()).build().start();
        // the first call may still meet the old connection's failure; a call after it reconnects
        try {
            calc.add(1, 2);
        }
        catch (RemoteCallException expected) {
            assertThat(expected.status()).isEqualTo(Status.UNAVAILABLE);
        }
        assertThat(calc.add(2, 2)).isEqualTo(4);
    }

    @Test
    void plainImplementationsNeverRunOnAnEventLoop() {
        PlainCalc impl = new PlainCalc();
        Calc calc = start(impl).proxy(Calc.class);
        for (int i = 0; i < 100; i++) {
            calc.add(i, i);
        }
        assertThat(impl.threads).isNotEmpty().allSatisfy(name -> assertThat(name).startsWith("asyncrpc-worker-"));
    }

    record CalcAsyncView(dev.asyncrpc.test.CalcAsync async) {
    }

    /** Wraps a future as a handle-like view for assertions on futures. */
    static final class Calls {
        static <T> AsyncCall<T> handle(CompletableFuture<T> future) {
            return new AsyncCall<>() {
                @Override
                public CallState state() {
                    return !future.isDone() ? CallState.PENDING : future.isCompletedExceptionally() ? CallState.FAILED : CallState.COMPLETE;
                }

                @Override
                public T join() {
                    return join(Duration.ofSeconds(30));
                }

                @Override
                public T join(Duration timeout) {
                    try {
                        return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                    }
                    catch (java.util.concurrent.ExecutionException ex) {
                        throw (RemoteCallException) ex.getCause();
                    }
                    catch (Exception ex) {
                        throw new IllegalStateException(ex);
                    }
                }

                @Override
                public CompletableFuture<T> toCompletableFuture() {
                    return future;
                }

                @Override
                public boolean cancel(CancelMode mode) {
                    return future.cancel(false);
                }

                @Override
                public AsyncCall<T> whenDone(java.util.function.BiConsumer<? super T, ? super Throwable> callback, java.util.concurrent.Executor executor) {
                    return this;
                }

                @Override
                public AsyncCall<T> notify(CompletionQueue queue, Object key, Object attachment) {
                    return this;
                }
            };
        }
    }
}
