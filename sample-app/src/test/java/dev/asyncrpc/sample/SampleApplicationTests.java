package dev.asyncrpc.sample;

import java.time.Duration;

import dev.asyncrpc.CallState;
import dev.asyncrpc.Status;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(properties = { "asyncrpc.server.port=0", "asyncrpc.server.address=127.0.0.1" })
class SampleApplicationTests {

    @Autowired
    private GreeterDemo demo;

    @Autowired
    private GreeterAsync greeterAsync;

    @Value("${local.asyncrpc.server.port}")
    private int port;

    @Test
    void serverListensOnAFreePort() {
        assertThat(this.port).isPositive().isNotEqualTo(7443);
    }

    @Test
    void demoSucceeded() {
        assertThat(this.demo.report().failures()).isEmpty();
    }

    @Test
    void demoPlainCallWasGreeted() {
        assertThat(this.demo.report().plainGreeting()).isEqualTo(new Greeting("Hello, Ada!", "Ada"));
    }

    @Test
    void demoFutureCallWasGreeted() {
        assertThat(this.demo.report().futureGreeting()).isEqualTo(new Greeting("Hello, Linus!", "Linus"));
    }

    @Test
    void demoAsyncCallWasPendingThenComplete() {
        assertThat(this.demo.report().asyncStates()).containsExactly(CallState.PENDING, CallState.COMPLETE);
        assertThat(this.demo.report().asyncGreeting().name()).isEqualTo("Grace");
    }

    @Test
    void demoAbortedCallReportedInvalidArgument() {
        assertThat(this.demo.report().rejectedStatus()).isEqualTo(Status.INVALID_ARGUMENT);
    }

    @Test
    void demoThrowingImplementationReportedApplicationError() {
        assertThat(this.demo.report().failedStatus()).isEqualTo(Status.APPLICATION_ERROR);
    }

    @Test
    void clientBeansCallTheRunningService() {
        assertThat(this.greeterAsync.greetLater("test", 0).join(Duration.ofSeconds(10)).name()).isEqualTo("test");
    }
}
