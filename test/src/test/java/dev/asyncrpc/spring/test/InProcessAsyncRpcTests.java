package dev.asyncrpc.spring.test;

import java.util.concurrent.TimeUnit;

import dev.asyncrpc.AsyncRpcServer;
import dev.asyncrpc.spring.autoconfigure.AsyncRpcClients;
import dev.asyncrpc.spring.autoconfigure.AsyncRpcServerLifecycle;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link AutoConfigureInProcessAsyncRpc}: an injected client calls the context's endpoint through
 * the in-JVM transport, and the server opens no TCP port (even with the default port 7443 set).
 */
@SpringBootTest(classes = Greeter.App.class)
@AutoConfigureInProcessAsyncRpc
class InProcessAsyncRpcTests {

    @Autowired
    Greeter.Client greeter;

    @Autowired
    AsyncRpcServerLifecycle lifecycle;

    @Autowired
    AsyncRpcClients clients;

    @Autowired
    Environment environment;

    @Test
    void anInjectedClientCallsTheEndpointInTheJvm() throws Exception {
        assertThat(this.greeter.greet("Ada")).isEqualTo("Hello, Ada");
        assertThat(this.greeter.peerOf("Ada").get(10, TimeUnit.SECONDS)).startsWith("Ada from local:");
    }

    @Test
    void noTcpPortIsOpened() {
        AsyncRpcServer server = this.lifecycle.getServer();
        assertThat(server).isNotNull();
        assertThat(server.port()).as("the TCP port bound").isEqualTo(-1);
        assertThat(server.address()).startsWith("local:asyncrpc-test-");
        assertThat(this.environment.getProperty("local.asyncrpc.server.port")).as("a published TCP port").isNull();
        assertThat(this.clients.client("greeter").address()).isEqualTo(server.address());
    }
}
