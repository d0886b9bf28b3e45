package dev.asyncrpc;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.asyncrpc.test.Calc;
import dev.asyncrpc.test.CalcAsync;
import dev.asyncrpc.test.PlainCalc;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** {@link AsyncRpcResources}: threads shared by clients and a server, owned by whoever built them. */
class SharedResourcesTests {

    @Test
    void clientsAndAServerShareOneEventLoop() throws Exception {
        try (AsyncRpcResources shared = AsyncRpcResources.builder().name("shared").ioThreads(1).build();
                AsyncRpcServer server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(new PlainCalc()).resources(shared).build().start()) {
            Set<String> loops = new HashSet<>();
            for (int i = 0; i < 5; i++) {
                try (AsyncRpcClient client = AsyncRpcClient.builder().address(server.address()).resources(shared).build()) {
                    assertThat(client.proxy(Calc.class).add(i, 1)).isEqualTo(i + 1);
                    assertThat(shared.borrowers()).isEqualTo(2);
                }
                assertThat(shared.borrowers()).isEqualTo(1); // the client gave its threads back, and they still run
            }
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getName().startsWith("shared-io") || t.getName().startsWith("asyncrpc-client-io") || t.getName().startsWith("asyncrpc-server-io")) {
                    loops.add(t.getName());
                }
            }
            assertThat(loops).containsExactly("shared-io-1");
            assertThat(server.transport()).isEqualTo(shared.transport()).isIn(Transport.EPOLL, Transport.NIO);
        }
    }

    @Test
    void closingAClientLeavesTheResourcesToTheirOwner() {
        try (AsyncRpcResources shared = AsyncRpcResources.builder().build();
                AsyncRpcServer server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(new PlainCalc()).build().start()) {
            AsyncRpcClient first = AsyncRpcClient.builder().address(server.address()).resources(shared).build();
            AsyncRpcClient second = AsyncRpcClient.builder().address(server.address()).resources(shared).build();
            assertThat(first.proxy(Calc.class).echo("a")).isEqualTo("a");
            first.close();
            assertThat(shared.isClosed()).isFalse();
            assertThat(second.proxy(Calc.class).echo("b")).isEqualTo("b");
            shared.close();
            // closing the resources closed the client still borrowing them
            assertThatExceptionIsUnavailable(() -> second.proxy(Calc.class).echo("c"));
            assertThatIllegalStateException().isThrownBy(() -> AsyncRpcClient.builder().address(server.address()).resources(shared).build())
                .withMessageContaining("resources: closed");
        }
    }

    @Test
    void callbacksRunOnTheSharedCompletionExecutor() throws Exception {
        try (AsyncRpcResources shared = AsyncRpcResources.builder().name("cb").build();
                AsyncRpcServer server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(new PlainCalc()).build().start();
                AsyncRpcClient client = AsyncRpcClient.builder().address(server.address()).resources(shared).build()) {
            CompletableFuture<String> thread = client.proxy(CalcAsync.class).echo("x").thenApply((v) -> Thread.currentThread().getName());
            assertThat(thread.get(10, TimeUnit.SECONDS)).startsWith("cb-completion-");
        }
    }

    @Test
    void nioCanBeChosen() {
        try (AsyncRpcServer server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(new PlainCalc()).transport(Transport.NIO).build().start();
                AsyncRpcClient client = AsyncRpcClient.builder().address(server.address()).transport(Transport.NIO).build()) {
            assertThat(client.proxy(Calc.class).add(2, 3)).isEqualTo(5);
            assertThat(client.transport()).isEqualTo(Transport.NIO);
            assertThat(server.transport()).isEqualTo(Transport.NIO);
        }
    }

    @Test
    void autoChoosesEpollWhereItLoads() {
        boolean epoll = io.netty.channel.epoll.Epoll.isAvailable() && !Boolean.getBoolean("asyncrpc.epoll.disabled");
        try (AsyncRpcResources shared = AsyncRpcResources.builder().build()) {
            assertThat(shared.transport()).isEqualTo(epoll ? Transport.EPOLL : Transport.NIO);
        }
    }

    @Test
    void builderErrorsNameTheSetting() {
        assertThatIllegalArgumentException().isThrownBy(() -> AsyncRpcResources.builder().ioThreads(0)).withMessage("ioThreads: 0 (expected: > 0)");
        assertThatIllegalArgumentException().isThrownBy(() -> AsyncRpcResources.builder().completionThreads(-1))
            .withMessage("completionThreads: -1 (expected: > 0)");
    }

    private static void assertThatExceptionIsUnavailable(Runnable call) {
        org.assertj.core.api.Assertions.assertThatThrownBy(call::run).isInstanceOfSatisfying(RemoteCallException.class,
                (ex) -> assertThat(ex.status()).isEqualTo(Status.UNAVAILABLE));
    }

}
