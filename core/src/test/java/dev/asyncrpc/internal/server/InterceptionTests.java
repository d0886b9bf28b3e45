package dev.asyncrpc.internal.server;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.asyncrpc.CallContext;
import dev.asyncrpc.RemoteCallException;
import dev.asyncrpc.ServerCall;
import dev.asyncrpc.ServerInterceptor;
import dev.asyncrpc.Status;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One call's pass through its interceptors, on plain objects: order, contexts, listeners, principal. */
class InterceptionTests {

    private final List<String> events = new CopyOnWriteArrayList<>();

    static ServerCall call(String service, String operation) {
        return new ServerCall() {
            @Override
            public String service() {
                return service;
            }

            @Override
            public String operation() {
                return operation;
            }

            @Override
            public boolean isCancelled() {
                return false;
            }

            @Override
            public void onCancel(Runnable action) {
            }

            @Override
            public void onDisconnect(Runnable action) {
            }

            @Override
            public Optional<Instant> deadline() {
                return Optional.empty();
            }

            @Override
            public Optional<Duration> remaining() {
                return Optional.empty();
            }

            @Override
            public String peer() {
                return "local:test";
            }

            @Override
            public Map<String, String> metadata() {
                return Map.of("k", "v");
            }
        };
    }

    private CallContext context(String name) {
        return () -> {
            this.events.add("open " + name);
            return () -> this.events.add("close " + name);
        };
    }

    private ServerInterceptor attaching(String name) {
        return call -> {
            this.events.add("intercept " + name);
            call.attach(context(name));
            return (status, message) -> this.events.add("told " + name + " " + status + " " + message);
        };
    }

    @Test
    void contextsOpenAsAttachedAndCloseInReverseWhenTheDispatchEnds() {
        Interception interception = new Interception(call("notes", "find"), new ServerInterceptor[] { attaching("a"), attaching("b") }, false);
        interception.run();
        assertThat(this.events).containsExactly("intercept a", "open a", "intercept b", "open b");
        this.events.clear();
        interception.endDispatch();
        assertThat(this.events).containsExactly("close b", "close a");
    }

    @Test
    void openReestablishesEveryContextElsewhere() {
        Interception interception = new Interception(call("notes", "find"), new ServerInterceptor[] { attaching("a"), attaching("b") }, false);
        interception.run();
        interception.endDispatch();
        this.events.clear();
        try (CallContext.Scope scope = interception.open()) {
            this.events.add("callback");
        }
        assertThat(this.events).containsExactly("open a", "open b", "callback", "close b", "close a");
    }

    @Test
    void listenersAreToldInReverseWithTheContextsCurrent() {
        Interception interception = new Interception(call("notes", "find"), new ServerInterceptor[] { attaching("a"), attaching("b") }, false);
        interception.run();
        interception.endDispatch();
        this.events.clear();
        interception.completed(Status.NOT_FOUND, "gone");
        assertThat(this.events).containsExactly("open a", "open b", "told b NOT_FOUND gone", "told a NOT_FOUND gone", "close b", "close a");
    }

    @Test
    void aRefusalStopsThePassAndKeepsEarlierListeners() {
        ServerInterceptor refuse = call -> {
            throw new RemoteCallException(Status.UNAUTHENTICATED, "no token");
        };
        ServerInterceptor never = call -> {
            this.events.add("never");
            return null;
        };
        Interception interception = new Interception(call("notes", "find"), new ServerInterceptor[] { attaching("a"), refuse, never }, false);
        assertThatThrownBy(interception::run).isInstanceOf(RemoteCallException.class).hasMessageContaining("no token");
        interception.endDispatch();
        interception.completed(Status.UNAUTHENTICATED, "no token");
        assertThat(this.events).containsExactly("intercept a", "open a", "close a", "open a", "told a UNAUTHENTICATED no token", "close a");
    }

    @Test
    void contextsCanOnlyBeAttachedWhileIntercepting() {
        ServerInterceptor.Call[] kept = new ServerInterceptor.Call[1];
        Interception interception = new Interception(call("notes", "find"), new ServerInterceptor[] { call -> {
            kept[0] = call;
            return null;
        } }, false);
        interception.run();
        assertThatThrownBy(() -> kept[0].attach(context("late"))).isInstanceOf(IllegalStateException.class)
                .hasMessage("attach: a CallContext can only be attached while the interceptors run");
    }

    @Test
    void thePrincipalIsTheLastOneSetAndTheCallIsVisible() {
        Interception interception = new Interception(call("notes", "find"), new ServerInterceptor[] { call -> {
            assertThat(call.service()).isEqualTo("notes");
            assertThat(call.metadata()).containsEntry("k", "v");
            assertThat(call.principal()).isEmpty();
            call.principal(() -> "first");
            return null;
        }, call -> {
            call.principal(() -> "second");
            return null;
        } }, false);
        interception.run();
        assertThat(interception.principalValue()).map(java.security.Principal::getName).contains("second");
    }

    @Test
    void aContextThatFailsToOpenOrCloseDoesNotBreakTheOthers() {
        CallContext failingOpen = () -> {
            throw new IllegalStateException("open failed");
        };
        CallContext failingClose = () -> () -> {
            throw new IllegalStateException("close failed");
        };
        Interception interception = new Interception(call("notes", "find"), new ServerInterceptor[] { call -> {
            call.attach(failingOpen);
            call.attach(failingClose);
            call.attach(context("ok"));
            return null;
        } }, false);
        interception.run();
        interception.endDispatch();
        assertThat(this.events).containsExactly("open ok", "close ok");
    }
}
