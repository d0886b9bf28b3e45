package dev.asyncrpc;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.asyncrpc.test.Calc;
import dev.asyncrpc.test.Notes;
import dev.asyncrpc.test.NotesAsync;
import dev.asyncrpc.test.PlainCalc;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Client interceptors over loopback: metadata reaches the server, a call fails before it is sent, outcomes are seen. */
class ClientInterceptorTests {

    /** Answers with the metadata entry "tenant" it received; counts its runs. */
    static final class EchoTenant implements Notes {
        final AtomicInteger runs = new AtomicInteger();

        @Override
        public String find(String key) {
            this.runs.incrementAndGet();
            if (key.equals("fail")) {
                throw new IllegalArgumentException("bad key");
            }
            return ServerCall.current().metadata().getOrDefault("tenant", "none") + "/" + ServerCall.current().metadata().getOrDefault("order", "");
        }

        @Override
        public int count(InPipe<String> words) {
            return 0;
        }
    }

    @Test
    void metadataAddedByAClientInterceptorIsVisibleToTheServer() throws Exception {
        EchoTenant notes = new EchoTenant();
        try (AsyncRpcServer server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(notes).build().start();
                AsyncRpcClient client = AsyncRpcClient.builder().address(server.address())
                        .interceptor(call -> {
                            call.metadata().put("tenant", "acme");
                            return null;
                        }).build()) {
            assertThat(client.proxy(Notes.class).find("a")).isEqualTo("acme/");
            assertThat(client.proxy(NotesAsync.class).find("a").get(10, TimeUnit.SECONDS)).isEqualTo("acme/");
        }
    }

    @Test
    void interceptorsRunInOrderAndSeeWhatEarlierOnesAdded() {
        try (AsyncRpcServer server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(new EchoTenant()).build().start();
                AsyncRpcClient client = AsyncRpcClient.builder().address(server.address())
                        .interceptor(call -> {
                            call.metadata().put("order", call.metadata().getOrDefault("order", "") + "1");
                            return null;
                        })
                        .interceptor("notes", call -> {
                            call.metadata().put("order", call.metadata().getOrDefault("order", "") + "2");
                            return null;
                        })
                        .interceptor("calc", call -> {
                            throw new IllegalStateException("never runs for notes");
                        }).build()) {
            assertThat(client.proxy(Notes.class).find("a")).isEqualTo("none/12");
        }
    }

    @Test
    void anInterceptorFailsACallBeforeItIsSent() {
        EchoTenant notes = new EchoTenant();
        List<String> outcomes = new CopyOnWriteArrayList<>();
        try (AsyncRpcServer server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(notes).build().start();
                AsyncRpcClient client = AsyncRpcClient.builder().address(server.address())
                        .interceptor(call -> (status, message) -> outcomes.add(call.operation() + " " + status + " " + message))
                        .interceptor(call -> {
                            if (!call.metadata().containsKey("tenant")) {
                                throw new RemoteCallException(Status.UNAUTHENTICATED, "no tenant configured");
                            }
                            return null;
                        }).build()) {
            assertThatThrownBy(() -> client.proxy(Notes.class).find("a"))
                    .isInstanceOfSatisfying(RemoteCallException.class, ex -> {
                        assertThat(ex.status()).isEqualTo(Status.UNAUTHENTICATED);
                        assertThat(ex.description()).isEqualTo("no tenant configured");
                    });
            CompletableFuture<String> async = client.proxy(NotesAsync.class).find("a"); // returns a failed handle, does not throw
            assertThat(async).isCompletedExceptionally();
            assertThatThrownBy(async::join).cause().isInstanceOfSatisfying(RemoteCallException.class,
                    ex -> assertThat(ex.status()).isEqualTo(Status.UNAUTHENTICATED));
            assertThat(notes.runs).hasValue(0);
            assertThat(server.connections()).isZero(); // nothing was ever sent
            assertThat(outcomes).containsExactly("find UNAUTHENTICATED no tenant configured", "find UNAUTHENTICATED no tenant configured");
            assertThat(client.pendingCalls()).isZero();
        }
    }

    @Test
    void anInterceptorSeesWhetherTheClientUsesTls() throws Exception {
        List<Boolean> seen = new CopyOnWriteArrayList<>();
        ClientInterceptor record = call -> {
            seen.add(call.isTls());
            throw new RemoteCallException(Status.CANCELLED, "stopped before sending"); // nothing is dialled
        };
        try (AsyncRpcClient plain = AsyncRpcClient.builder().address("127.0.0.1:1").interceptor(record).build();
                AsyncRpcClient tls = AsyncRpcClient.builder().address("127.0.0.1:1").tls(javax.net.ssl.SSLContext.getDefault())
                    .interceptor(record).build()) {
            assertThatThrownBy(() -> plain.proxy(Notes.class).find("a")).isInstanceOf(RemoteCallException.class);
            assertThatThrownBy(() -> tls.proxy(Notes.class).find("a")).isInstanceOf(RemoteCallException.class);
            assertThat(seen).containsExactly(false, true);
            assertThat(plain.connections() + tls.connections()).isZero();
        }
    }

    @Test
    void aListenerSeesTheServersOutcome() throws Exception {
        List<String> outcomes = new CopyOnWriteArrayList<>();
        try (AsyncRpcServer server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(new EchoTenant()).service(new PlainCalc())
                .build().start();
                AsyncRpcClient client = AsyncRpcClient.builder().address(server.address())
                        .interceptor(call -> (status, message) -> outcomes.add(call.service() + "/" + call.operation() + " "
                                + (call.isAsync() ? "async " : "") + status + " " + message)).build()) {
            client.proxy(Notes.class).find("a");
            assertThatThrownBy(() -> client.proxy(Notes.class).find("fail")).isInstanceOf(RemoteCallException.class);
            assertThat(client.proxy(NotesAsync.class).find("b").get(10, TimeUnit.SECONDS)).isEqualTo("none/");
            assertThat(client.proxy(Calc.class).add(1, 2)).isEqualTo(3);
            assertThat(outcomes).containsExactly("notes/find null null", "notes/find APPLICATION_ERROR bad key", "notes/find async null null",
                    "calc/add null null");
        }
    }

    @Test
    void anInterceptorThatBreaksFailsTheCallWithInternal() {
        try (AsyncRpcServer server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(new EchoTenant()).build().start();
                AsyncRpcClient client = AsyncRpcClient.builder().address(server.address())
                        .interceptor(call -> {
                            throw new NoSuchElementException("lost");
                        }).build()) {
            assertThatThrownBy(() -> client.proxy(Notes.class).find("a"))
                    .isInstanceOfSatisfying(RemoteCallException.class, ex -> {
                        assertThat(ex.status()).isEqualTo(Status.INTERNAL);
                        assertThat(ex.description()).contains("a client interceptor of notes/find failed").contains("lost");
                    });
        }
    }
}
