package dev.asyncrpc;

import java.security.Principal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.asyncrpc.test.Notes;
import dev.asyncrpc.test.NotesAsync;
import dev.asyncrpc.test.PlainCalc;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Server interceptors over loopback: refusing before the implementation runs, order, the principal,
 * and contexts that are current in the implementation and in every callback the runtime runs for
 * the call (plain and asynchronous implementations, pipe callbacks, wrapped executors, listeners).
 */
class ServerInterceptorTests {

    /** Stands in for an MDC: the interceptor puts the call id here for the implementation's "log lines". */
    static final ThreadLocal<String> CALL_ID = new ThreadLocal<>();

    static final ExecutorService POOL = Executors.newFixedThreadPool(2);

    @AfterAll
    static void stopPool() {
        POOL.shutdownNow();
    }

    /** Records the "log lines" (the CALL_ID seen) of each implementation step. */
    static final Map<String, String> LOG = new ConcurrentHashMap<>();

    static void log(String where) {
        LOG.put(where, String.valueOf(CALL_ID.get()));
    }

    /** Puts the call's "call-id" metadata into CALL_ID wherever the runtime works for the call. */
    static final ServerInterceptor MDC = call -> {
        String id = call.metadata().getOrDefault("call-id", "none");
        call.attach(() -> {
            String previous = CALL_ID.get();
            CALL_ID.set(id);
            return () -> CALL_ID.set(previous);
        });
        return (status, message) -> log("listener " + call.operation() + " " + status);
    };

    static final class PlainNotes implements Notes {
        final AtomicInteger runs = new AtomicInteger();

        @Override
        public String find(String key) {
            this.runs.incrementAndGet();
            log("plain find");
            ServerCall.current().onCancel(() -> log("plain cancel"));
            return "note " + key + " for " + ServerCall.current().principal().map(Principal::getName).orElse("anonymous");
        }

        @Override
        public int count(InPipe<String> words) {
            int n = 0;
            for (String w : words) {
                n++;
            }
            return n;
        }
    }

    static final class AsyncNotes implements NotesAsync {
        final AtomicInteger runs = new AtomicInteger();

        @Override
        public CompletableFuture<String> find(String key) {
            this.runs.incrementAndGet();
            log("async find");
            ServerCall call = ServerCall.current();
            return CompletableFuture.supplyAsync(() -> {
                log("async find elsewhere");
                if (key.equals("missing")) {
                    throw new NoSuchElementException("no note '" + key + "'");
                }
                return "note " + key;
            }, call.wrap(POOL));
        }

        @Override
        public CompletableFuture<Integer> count(InPipe<String> words) {
            log("async count");
            CompletableFuture<Integer> result = new CompletableFuture<>();
            AtomicInteger n = new AtomicInteger();
            Runnable[] drain = new Runnable[1];
            drain[0] = () -> {
                log("pipe callback");
                for (String w : words.pull(100)) {
                    if (w.equals("boom")) {
                        throw new NoSuchElementException("no word 'boom'");
                    }
                    n.incrementAndGet();
                }
                if (words.isClosed()) {
                    result.complete(n.get());
                }
                else {
                    words.onAvailable(drain[0]);
                }
            };
            words.onAvailable(drain[0]);
            return result;
        }
    }

    private static AsyncRpcClient client(AsyncRpcServer server, String callId) {
        AsyncRpcClient.Builder b = AsyncRpcClient.builder().address(server.address());
        if (callId != null) {
            b.interceptor(call -> {
                call.metadata().put("call-id", callId);
                return null;
            });
        }
        return b.build();
    }

    @Test
    void anInterceptorThatRequiresMetadataRefusesCallsWithoutItAndTheImplementationNeverRuns() {
        PlainNotes plain = new PlainNotes();
        ServerInterceptor requireTenant = call -> {
            if (!call.metadata().containsKey("call-id")) {
                throw new RemoteCallException(Status.PERMISSION_DENIED, "metadata 'call-id' is required");
            }
            return null;
        };
        try (AsyncRpcServer server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(plain).interceptor(requireTenant).build().start();
                AsyncRpcClient without = client(server, null);
                AsyncRpcClient with = client(server, "c-1")) {
            assertThatThrownBy(() -> without.proxy(Notes.class).find("a"))
                    .isInstanceOfSatisfying(RemoteCallException.class, ex -> {
                        assertThat(ex.status()).isEqualTo(Status.PERMISSION_DENIED);
                        assertThat(ex.description()).isEqualTo("metadata 'call-id' is required");
                    });
            assertThatThrownBy(() -> without.proxy(NotesAsync.class).find("a").join())
                    .hasCauseInstanceOf(RemoteCallException.class)
                    .cause().hasMessageContaining("PERMISSION_DENIED");
            assertThat(plain.runs).hasValue(0);
            assertThat(with.proxy(Notes.class).find("a")).isEqualTo("note a for anonymous");
            assertThat(plain.runs).hasValue(1);
        }
    }

    @Test
    void aRefusedAsynchronousImplementationNeverRunsEither() {
        AsyncNotes async = new AsyncNotes();
        try (AsyncRpcServer server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(async)
                .interceptor(call -> {
                    throw new RemoteCallException(Status.UNAUTHENTICATED, "who are you?");
                }).build().start();
                AsyncRpcClient client = client(server, "c-2")) {
            assertThatThrownBy(() -> client.proxy(Notes.class).find("a"))
                    .isInstanceOfSatisfying(RemoteCallException.class, ex -> assertThat(ex.status()).isEqualTo(Status.UNAUTHENTICATED));
            assertThat(async.runs).hasValue(0);
        }
    }

    @Test
    void interceptorsRunInTheOrderTheyWereAddedAndTheirListenersInReverse() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> bothTold = new CompletableFuture<>();
        ServerInterceptor first = call -> {
            events.add("first");
            return (status, message) -> {
                events.add("first told " + status);
                bothTold.complete(null);
            };
        };
        ServerInterceptor second = call -> {
            events.add("second");
            return (status, message) -> events.add("second told " + status);
        };
        try (AsyncRpcServer server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(new PlainNotes())
                .interceptor(first).interceptor(second).build().start();
                AsyncRpcClient client = client(server, "c-3")) {
            client.proxy(Notes.class).find("a");
            bothTold.get(10, TimeUnit.SECONDS);
            assertThat(events).containsExactly("first", "second", "second told null", "first told null");
        }
    }

    @Test
    void theCallIdIsCurrentInAPlainImplementationAndItsListener() throws Exception {
        LOG.clear();
        try (AsyncRpcServer server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(new PlainNotes()).interceptor(MDC).build().start();
                AsyncRpcClient client = client(server, "c-plain")) {
            client.proxy(Notes.class).find("a");
            awaitLog("listener find null");
            assertThat(LOG).containsEntry("plain find", "c-plain").containsEntry("listener find null", "c-plain");
        }
        assertThat(CALL_ID.get()).isNull();
    }

    @Test
    void theCallIdIsCurrentInAnAsynchronousImplementationAndWhereItContinuesThroughWrap() throws Exception {
        LOG.clear();
        try (AsyncRpcServer server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(new AsyncNotes()).interceptor(MDC).build().start();
                AsyncRpcClient client = client(server, "c-async")) {
            assertThat(client.proxy(NotesAsync.class).find("a").get(10, TimeUnit.SECONDS)).isEqualTo("note a");
            awaitLog("listener find null");
            assertThat(LOG).containsEntry("async find", "c-async").containsEntry("async find elsewhere", "c-async")
                    .containsEntry("listener find null", "c-async");
        }
    }

    @Test
    void theCallIdIsCurrentInPipeCallbacks() throws Exception {
        LOG.clear();
        try (AsyncRpcServer server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(new AsyncNotes()).interceptor(MDC).build().start();
                AsyncRpcClient client = client(server, "c-pipe")) {
            InPipe<String> words = InPipe.create();
            CompletableFuture<Integer> counted = client.proxy(NotesAsync.class).count(words);
            words.push("a", "b");
            words.push("c");
            words.close();
            assertThat(counted.get(10, TimeUnit.SECONDS)).isEqualTo(3);
            assertThat(LOG).containsEntry("async count", "c-pipe").containsEntry("pipe callback", "c-pipe");
        }
    }

    @Test
    void anInterceptorSetsThePrincipalTheImplementationReads() {
        ServerInterceptor auth = call -> {
            String token = call.metadata().get("call-id");
            if (token != null) {
                call.principal(() -> "user-" + token);
            }
            return null;
        };
        try (AsyncRpcServer server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(new PlainNotes()).interceptor(auth).build().start();
                AsyncRpcClient known = client(server, "7");
                AsyncRpcClient anonymous = client(server, null)) {
            assertThat(known.proxy(Notes.class).find("a")).isEqualTo("note a for user-7");
            assertThat(anonymous.proxy(Notes.class).find("a")).isEqualTo("note a for anonymous");
        }
    }

    @Test
    void aPerServiceInterceptorSeesOnlyItsService() {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (AsyncRpcServer server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(new PlainNotes()).service(new PlainCalc())
                .interceptor("notes", call -> {
                    seen.add(call.service() + "/" + call.operation());
                    return null;
                }).build().start();
                AsyncRpcClient client = client(server, "c-4")) {
            client.proxy(Notes.class).find("a");
            assertThat(client.proxy(dev.asyncrpc.test.Calc.class).add(1, 2)).isEqualTo(3);
            assertThat(seen).containsExactly("notes/find");
        }
    }

    @Test
    void aPerServiceInterceptorForAServiceNotServedIsRejectedByTheBuilder() {
        assertThatThrownBy(() -> AsyncRpcServer.builder().port(0).service(new PlainNotes()).interceptor("nots", call -> null).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("interceptor service: 'nots' (expected: one of the services served [notes])");
    }

    @Test
    void anInterceptorThatThrowsSomethingElseRefusesTheCallWithTheMappedStatus() {
        PlainNotes plain = new PlainNotes();
        try (AsyncRpcServer server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(plain)
                .interceptor(call -> {
                    throw new IllegalStateException("interceptor broke");
                }).build().start();
                AsyncRpcClient client = client(server, "c-5")) {
            assertThatThrownBy(() -> client.proxy(Notes.class).find("a"))
                    .isInstanceOfSatisfying(RemoteCallException.class, ex -> {
                        assertThat(ex.status()).isEqualTo(Status.APPLICATION_ERROR);
                        assertThat(ex.description()).isEqualTo("interceptor broke");
                    });
            assertThat(plain.runs).hasValue(0);
        }
    }

    private static void awaitLog(String key) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!LOG.containsKey(key) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }
}
