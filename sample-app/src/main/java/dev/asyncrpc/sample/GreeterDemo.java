package dev.asyncrpc.sample;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.asyncrpc.AsyncCall;
import dev.asyncrpc.CallState;
import dev.asyncrpc.InPipe;
import dev.asyncrpc.OutPipe;
import dev.asyncrpc.RemoteCallException;
import dev.asyncrpc.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;

/**
 * The start-up demo: calls this application's own greeter service over the network through the
 * client beans (plain, CompletableFuture, AsyncCall, two failures, and names and greetings
 * streaming through pipes) and prints each step.
 */
public class GreeterDemo implements ApplicationRunner {

    private static final Logger logger = LoggerFactory.getLogger(GreeterDemo.class);

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** The names the demo streams through the greeter's in-pipe. */
    static final List<String> PIPED_NAMES = List.of("Barbara", "Edsger", "Tony");

    private final Greeter greeter;

    private final GreeterAsync greeterAsync;

    private final DemoProperties properties;

    private volatile DemoReport report;

    public GreeterDemo(Greeter greeter, GreeterAsync greeterAsync, DemoProperties properties) {
        this.greeter = greeter;
        this.greeterAsync = greeterAsync;
        this.properties = properties;
    }

    /**
     * What the demo saw.
     * @return the report, or {@code null} before the demo has run
     */
    public DemoReport report() {
        return this.report;
    }

    @Override
    public void run(ApplicationArguments args) {
        List<String> failures = new ArrayList<>();
        logger.info("demo: calling the greeter service through {}", this.greeter);

        Greeting plain = step(failures, "plain call", () -> this.greeter.greet("Ada"));
        log("plain call      greeter.greet(\"Ada\")", plain);

        Greeting future = step(failures, "CompletableFuture call",
                () -> this.greeterAsync.greet("Linus").get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
        log("future call     greeterAsync.greet(\"Linus\").get()", future);

        List<CallState> states = new ArrayList<>();
        Greeting later = step(failures, "AsyncCall", () -> {
            AsyncCall<Greeting> call = this.greeterAsync.greetLater("Grace", this.properties.getDelayMillis());
            states.add(call.state());
            logger.info("demo: async call      greeterAsync.greetLater(\"Grace\", {}) returned at once, state() = {}",
                    this.properties.getDelayMillis(), call.state());
            Greeting greeting = call.join(TIMEOUT);
            states.add(call.state());
            logger.info("demo: async call      after join(), state() = {}", call.state());
            return greeting;
        });
        log("async call      join()", later);
        if (!states.equals(List.of(CallState.PENDING, CallState.COMPLETE))) {
            failures.add("AsyncCall: expected states [PENDING, COMPLETE], saw " + states);
        }

        Status rejected = expectFailure(failures, "aborted call greeterAsync.greetLater(\"Edsger\", -1)", Status.INVALID_ARGUMENT,
                () -> this.greeterAsync.greetLater("Edsger", -1).join(TIMEOUT));
        Status failed = expectFailure(failures, "failed call greeter.greet(\"\")", Status.APPLICATION_ERROR,
                () -> this.greeter.greet(""));

        List<Greeting> piped = new ArrayList<>();
        Integer pipedCount = step(failures, "pipes", () -> {
            InPipe<String> names = InPipe.create();
            OutPipe<Greeting> greetings = OutPipe.create();
            CompletableFuture<Integer> count = this.greeterAsync.greetEach(names, greetings);  // returns at once
            names.push(PIPED_NAMES);
            names.close();
            for (Greeting greeting : greetings) {  // each greeting as soon as it arrives, until the implementer closes the pipe
                piped.add(greeting);
            }
            return count.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        });
        logger.info("demo: pipes           greeterAsync.greetEach({} -> in-pipe, out-pipe) -> {} greetings streamed back, answer {}",
                PIPED_NAMES, piped.size(), pipedCount);
        if (pipedCount != null && (pipedCount != PIPED_NAMES.size() || piped.size() != PIPED_NAMES.size())) {
            failures.add("pipes: expected " + PIPED_NAMES.size() + " greetings, saw " + piped.size() + " and answer " + pipedCount);
        }

        this.report = new DemoReport(plain, future, List.copyOf(states), later, rejected, failed, List.copyOf(piped), pipedCount,
                List.copyOf(failures));
        if (failures.isEmpty()) {
            logger.info("demo: every call did what it shows");
        }
        else {
            logger.error("demo: {} step(s) went wrong: {}", failures.size(), failures);
        }
    }

    private static void log(String what, Greeting greeting) {
        if (greeting != null) {
            logger.info("demo: {} -> {}", what, greeting.message());
        }
    }

    private static <T> T step(List<String> failures, String name, Step<T> step) {
        try {
            return step.run();
        }
        catch (Exception ex) {
            logger.error("demo: {} failed", name, ex);
            failures.add(name + ": " + ex);
            return null;
        }
    }

    private static Status expectFailure(List<String> failures, String name, Status expected, Step<?> step) {
        try {
            Object value = step.run();
            failures.add(name + ": expected " + expected + " but got " + value);
            return null;
        }
        catch (RemoteCallException ex) {
            logger.info("demo: {} -> RemoteCallException, status {}: {}", name, ex.status(), ex.description());
            if (ex.status() != expected) {
                failures.add(name + ": expected " + expected + " but got " + ex.status());
            }
            return ex.status();
        }
        catch (Exception ex) {
            logger.error("demo: {} failed unexpectedly", name, ex);
            failures.add(name + ": " + ex);
            return null;
        }
    }

    @FunctionalInterface
    private interface Step<T> {

        T run() throws Exception;
    }
}
