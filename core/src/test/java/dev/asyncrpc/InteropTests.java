package dev.asyncrpc;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import java.util.stream.Stream;

import dev.asyncrpc.test.AsyncCalc;
import dev.asyncrpc.test.Calc;
import dev.asyncrpc.test.CalcAsync;
import dev.asyncrpc.test.PlainCalc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every combination of plain/async caller and plain/async implementation passes the same
 * assertions, over TCP and the in-JVM transport.
 */
class InteropTests {

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

    static Stream<Arguments> matrix() {
        return Stream.of("tcp", "local").flatMap(transport -> Stream.of(
                Arguments.of(transport, "plain caller", "plain implementation"),
                Arguments.of(transport, "plain caller", "async implementation"),
                Arguments.of(transport, "async caller", "plain implementation"),
                Arguments.of(transport, "async caller", "async implementation")));
    }

    private Calc connect(String transport, String caller, String implementation) {
        Object impl = implementation.startsWith("plain") ? new PlainCalc() : new AsyncCalc();
        AsyncRpcServer.Builder builder = AsyncRpcServer.builder().service(impl);
        if (transport.equals("tcp")) {
            builder.host("127.0.0.1").port(0);
        }
        else {
            builder.address("local:interop-" + System.nanoTime());
        }
        this.server = builder.build().start();
        this.client = AsyncRpcClient.builder().address(this.server.address()).build();
        return caller.startsWith("plain") ? this.client.proxy(Calc.class) : blocking(this.client.proxy(CalcAsync.class));
    }

    @ParameterizedTest(name = "{0}: {1} x {2}")
    @MethodSource("matrix")
    void valuesTravelBothWays(String transport, String caller, String implementation) {
        Calc calc = connect(transport, caller, implementation);
        assertThat(calc.add(2, 40)).isEqualTo(42);
        assertThat(calc.echo("héllo ✓")).isEqualTo("héllo ✓");
        assertThat(calc.echo(null)).isNull();
        assertThat(calc.items(Map.of("b", 2, "a", 1))).containsExactly(new Calc.Item("a", 1), new Calc.Item("b", 2));
        byte[] data = new byte[70_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) i;
        }
        assertThat(calc.bytes(data)).isEqualTo(data);
        assertThat(calc.bytes(new byte[0])).isEmpty();
        calc.touch("k");
    }

    @ParameterizedTest(name = "{0}: {1} x {2}")
    @MethodSource("matrix")
    void implementationErrorsReachTheCallerWithTheirMessageAndNoStackTrace(String transport, String caller, String implementation) {
        Calc calc = connect(transport, caller, implementation);
        assertThatThrownBy(() -> calc.fail("out of stock"))
                .isInstanceOfSatisfying(RemoteCallException.class, ex -> {
                    assertThat(ex.status()).isEqualTo(Status.APPLICATION_ERROR);
                    assertThat(ex.description()).isEqualTo("out of stock");
                    assertThat(ex.description()).doesNotContain("at dev.asyncrpc");
                });
    }

    /** Adapts the async view to the plain one so that both pass the same assertions. */
    private static Calc blocking(CalcAsync async) {
        return new Calc() {
            @Override
            public int add(int a, int b) {
                return async.add(a, b).join();
            }

            @Override
            public String echo(String text) {
                return unwrap(() -> async.echo(text).join());
            }

            @Override
            public List<Item> items(Map<String, Integer> counts) {
                return unwrap(() -> async.items(counts).toCompletableFuture().join());
            }

            @Override
            public byte[] bytes(byte[] data) {
                return async.bytes(data).join();
            }

            @Override
            public void touch(String key) {
                AsyncCall<Void> call = async.touch(key);
                assertThat(call.join()).isNull();
                assertThat(call.state()).isEqualTo(CallState.COMPLETE);
            }

            @Override
            public String fail(String message) {
                AsyncCall<String> call = async.fail(message);
                try {
                    return call.join();
                }
                finally {
                    assertThat(call.state()).isEqualTo(CallState.FAILED);
                }
            }
        };
    }

    private static <T> T unwrap(Supplier<T> s) {
        try {
            return s.get();
        }
        catch (CompletionException ex) {
            throw (ex.getCause() instanceof RuntimeException re) ? re : ex;
        }
    }
}
