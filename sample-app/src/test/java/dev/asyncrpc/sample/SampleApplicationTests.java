package dev.asyncrpc.sample;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import dev.asyncrpc.CallState;
import dev.asyncrpc.InPipe;
import dev.asyncrpc.OutPipe;
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
    private Greeter greeter;

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
    void demoPipesStreamedAGreetingForEachName() {
        assertThat(this.demo.report().pipedGreetings()).extracting(Greeting::name).containsExactly("Barbara", "Edsger", "Tony");
        assertThat(this.demo.report().pipedCount()).isEqualTo(3);
    }

    @Test
    void aPlainCallerStreamsThroughPipes() throws Exception {
        InPipe<String> names = InPipe.create();
        List<String> sent = IntStream.range(0, 500).mapToObj((i) -> "name-" + i).toList();
        names.push(sent);  // held until the call is issued
        names.close();
        OutPipe<Greeting> greetings = OutPipe.create();
        CompletableFuture<List<Greeting>> received = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            List<Greeting> all = new ArrayList<>();
            greetings.forEach(all::add);  // the blocking iterator, while the call blocks
            received.complete(all);
        }, "greetings-reader");
        reader.start();
        assertThat(this.greeter.greetEach(names, greetings)).isEqualTo(500);
        assertThat(received.get(10, TimeUnit.SECONDS)).extracting(Greeting::name).containsExactlyElementsOf(sent);
        reader.join(10_000);
    }

    @Test
    void clientBeansCallTheRunningService() {
        assertThat(this.greeterAsync.greetLater("test", 0).join(Duration.ofSeconds(10)).name()).isEqualTo("test");
    }
}
