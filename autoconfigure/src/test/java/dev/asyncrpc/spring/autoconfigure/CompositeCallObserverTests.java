package dev.asyncrpc.spring.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.asyncrpc.CallObserver;
import dev.asyncrpc.CancelMode;
import dev.asyncrpc.Status;
import dev.asyncrpc.spring.ImportRemoteServices;
import dev.asyncrpc.spring.autoconfigure.scan.Echo;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Every CallObserver bean observes the calls of the server and the clients, each with its own context. */
class CompositeCallObserverTests {

    private static final CallObserver.CallInfo CALL = new CallObserver.CallInfo(CallObserver.CallInfo.Side.CLIENT, "echo", "echo", false);

    /** Records events as text; its context names it. */
    static final class Recording implements CallObserver {

        final String name;

        final List<String> events = new CopyOnWriteArrayList<>();

        Recording(String name) {
            this.name = name;
        }

        @Override
        public Object onStart(CallInfo call, Map<String, String> metadata) {
            this.events.add("start " + call.side() + " " + call.operation());
            if (call.side() == CallInfo.Side.CLIENT) {
                metadata.put("seen-by-" + this.name, "yes"); // a server's metadata is what the client sent: read-only
            }
            return this.name;
        }

        @Override
        public void onEnd(CallInfo call, Object context, Status status) {
            this.events.add("end " + call.side() + " " + call.operation() + " " + context + " " + ((status != null) ? status : "OK"));
        }

        @Override
        public void onCancel(CallInfo call, CancelMode mode) {
            this.events.add("cancel " + mode);
        }

        @Override
        public void onConnection(CallInfo.Side side, String peer, boolean open) {
            this.events.add("connection " + side + " " + open);
        }

        @Override
        public void onGoAway(CallInfo.Side side, String peer) {
            this.events.add("goaway " + side);
        }
    }

    /** Fails on every event. */
    static final class Failing implements CallObserver {

        @Override
        public Object onStart(CallInfo call, Map<String, String> metadata) {
            throw new IllegalStateException("onStart");
        }

        @Override
        public void onEnd(CallInfo call, Object context, Status status) {
            throw new IllegalStateException("onEnd");
        }

        @Override
        public void onCancel(CallInfo call, CancelMode mode) {
            throw new IllegalStateException("onCancel");
        }
    }

    @Test
    void noObserverIsNone() {
        assertThat(CompositeCallObserver.of(List.of())).isSameAs(CallObserver.NONE);
    }

    @Test
    void oneObserverIsUsedAsItIs() {
        Recording only = new Recording("only");
        assertThat(CompositeCallObserver.of(List.of(only))).isSameAs(only);
    }

    @Test
    void eachObserverGetsItsOwnContextAndAFailingOneDoesNotStopTheOthers() {
        Recording first = new Recording("first");
        Recording second = new Recording("second");
        CallObserver composite = CompositeCallObserver.of(List.of(first, new Failing(), second));
        Map<String, String> metadata = new ConcurrentHashMap<>();
        Object context = composite.onStart(CALL, metadata);
        composite.onCancel(CALL, CancelMode.GRACEFUL);
        composite.onEnd(CALL, context, Status.CANCELLED);
        composite.onGoAway(CallObserver.CallInfo.Side.CLIENT, "127.0.0.1:1");
        assertThat(metadata).containsOnlyKeys("seen-by-first", "seen-by-second");
        assertThat(first.events).containsExactly("start CLIENT echo", "cancel GRACEFUL", "end CLIENT echo first CANCELLED", "goaway CLIENT");
        assertThat(second.events).containsExactly("start CLIENT echo", "cancel GRACEFUL", "end CLIENT echo second CANCELLED", "goaway CLIENT");
    }

    @Test
    void everyCallObserverBeanObservesTheServerAndTheClients() {
        Recording first = new Recording("first");
        Recording second = new Recording("second");
        new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AsyncRpcServerAutoConfiguration.class, AsyncRpcClientAutoConfiguration.class))
            .withBean(EchoEndpoint.class)
            .withBean("first", CallObserver.class, () -> first)
            .withBean("second", CallObserver.class, () -> second)
            .withUserConfiguration(ImportEcho.class)
            .withPropertyValues("asyncrpc.server.port=0", "asyncrpc.server.address=127.0.0.1",
                    "asyncrpc.client.services.echo.address=${local.asyncrpc.server.address}")
            .run((context) -> {
                assertThat(context.getBean(Echo.class.getName(), Echo.class).echo("observed")).isEqualTo("echo: observed");
                for (Recording recording : List.of(first, second)) {
                    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(recording.events).contains(
                            "start CLIENT echo", "end CLIENT echo " + recording.name + " OK",
                            "start SERVER echo", "end SERVER echo " + recording.name + " OK",
                            "connection CLIENT true", "connection SERVER true"));
                }
            });
    }

    @Configuration(proxyBeanMethods = false)
    @ImportRemoteServices(Echo.class)
    static class ImportEcho {

    }
}
