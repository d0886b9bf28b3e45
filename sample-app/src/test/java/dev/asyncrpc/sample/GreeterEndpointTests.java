package dev.asyncrpc.sample;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.asyncrpc.AsyncCall;
import dev.asyncrpc.AsyncRpcClient;
import dev.asyncrpc.AsyncRpcServer;
import dev.asyncrpc.CallState;
import dev.asyncrpc.CancelMode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** greetLater's timer ends with its call: when the caller cancels, and when the caller goes away. */
class GreeterEndpointTests {

    private static void await(String what, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 20 s for: " + what).isLessThan(deadline);
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
    }

    @Test
    void aCallerThatGoesAwayTakesItsWaitingGreetingsWithIt() {
        GreeterEndpoint endpoint = new GreeterEndpoint();
        try (AsyncRpcServer server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(endpoint).build().start()) {
            AsyncRpcClient client = AsyncRpcClient.builder().address(server.address()).build();
            GreeterAsync greeter = client.proxy(GreeterAsync.class);
            for (int i = 0; i < 10; i++) {
                greeter.greetLater("n" + i, 3_600_000);
            }
            await("10 greetings waiting", () -> endpoint.waitingGreetings() == 10);
            client.close();
            await("the waits ended with the connection", () -> endpoint.waitingGreetings() == 0);
        }
        finally {
            endpoint.destroy();
        }
    }

    @Test
    void aCancelEndsTheWaitAtOnce() {
        GreeterEndpoint endpoint = new GreeterEndpoint();
        try (AsyncRpcServer server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(endpoint).build().start();
                AsyncRpcClient client = AsyncRpcClient.builder().address(server.address()).build()) {
            AsyncCall<Greeting> call = client.proxy(GreeterAsync.class).greetLater("c", 3_600_000);
            await("the greeting waits", () -> endpoint.waitingGreetings() == 1);
            call.cancel(CancelMode.GRACEFUL);
            await("cancelled", () -> call.state() == CallState.CANCELLED || call.state() == CallState.FAILED);
            await("the wait ended", () -> endpoint.waitingGreetings() == 0);
            assertThat(call.state()).isNotEqualTo(CallState.COMPLETE);
        }
        finally {
            endpoint.destroy();
        }
    }
}
