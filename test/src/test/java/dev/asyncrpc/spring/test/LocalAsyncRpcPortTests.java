package dev.asyncrpc.spring.test;

import dev.asyncrpc.AsyncRpcClient;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link LocalAsyncRpcPort} injects the port a server started on port 0 bound; a plain client reaches it there. */
@SpringBootTest(classes = Greeter.App.class, properties = { "asyncrpc.server.port=0", "asyncrpc.server.address=127.0.0.1",
        "asyncrpc.client.services.greeter.address=127.0.0.1:${local.asyncrpc.server.port}" })
class LocalAsyncRpcPortTests {

    @LocalAsyncRpcPort
    int port;

    @Test
    void theBoundPortIsInjected() {
        assertThat(this.port).isBetween(1, 65535);
        try (AsyncRpcClient client = AsyncRpcClient.builder().address("127.0.0.1:" + this.port).build()) {
            assertThat(client.proxy(Greeter.Client.class).greet("Grace")).isEqualTo("Hello, Grace");
        }
    }
}
