package dev.asyncrpc;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What a plain implementation learns about its call through {@link ServerCall#current()}. */
class ServerCallTests {

    @RemoteService("who")
    interface Who {
        String describe();
    }

    static final class Describer implements Who {
        @Override
        public String describe() {
            ServerCall call = ServerCall.current();
            return call.service() + "/" + call.operation() + " from " + call.peer().replaceAll(":\\d+$", ":*")
                    + " tenant=" + call.metadata().get("tenant") + " cancelled=" + ServerCall.currentIsCancelled()
                    + " deadline=" + call.remaining().map(r -> r.compareTo(Duration.ofSeconds(5)) <= 0 && !r.isNegative()).orElse(false);
        }
    }

    @Test
    void currentCallDescribesTheCallOnTheDispatchThreadOnly() {
        try (AsyncRpcServer server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(new Describer()).build().start();
                AsyncRpcClient client = AsyncRpcClient.builder().address(server.address()).build()) {
            Who who = client.proxy(Who.class, CallOptions.DEFAULT.withMetadata("tenant", "acme").withTimeout(Duration.ofSeconds(5)));
            assertThat(who.describe()).isEqualTo("who/describe from 127.0.0.1:* tenant=acme cancelled=false deadline=true");
            assertThat(ServerCall.current()).as("outside a dispatch").isNull();
        }
    }

    @RemoteService("slowcancel")
    interface SlowCancel {
        @AsyncRemote
        AsyncCall<String> run();
    }

    @RemoteService("slowcancel")
    interface SlowCancelEndpoint {
        @AsyncRemote
        void run(AsyncReply<String> reply, ServerCall call);
    }

    @Test
    void aSlowCancelActionRunsOutsideTheCallsMonitorAndTheCallCompletesOnlyAfterIt() throws Exception {
        CountDownLatch actionStarted = new CountDownLatch(1);
        CountDownLatch releaseAction = new CountDownLatch(1);
        List<String> events = new CopyOnWriteArrayList<>();
        CompletableFuture<ServerCall> held = new CompletableFuture<>();
        CompletableFuture<AsyncReply<String>> reply = new CompletableFuture<>();
        SlowCancelEndpoint endpoint = (r, call) -> {
            call.onCancel(() -> {
                events.add("action starts, done=" + r.isDone());
                actionStarted.countDown();
                try {
                    releaseAction.await(20, TimeUnit.SECONDS);
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
                events.add("action ends, done=" + r.isDone());
            });
            reply.complete(r);
            held.complete(call);
        };
        try (AsyncRpcServer server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(endpoint).build().start();
                AsyncRpcClient client = AsyncRpcClient.builder().address(server.address()).build()) {
            AsyncCall<String> call = client.proxy(SlowCancel.class).run();
            ServerCall serverCall = held.get(10, TimeUnit.SECONDS);
            call.cancel(CancelMode.GRACEFUL);
            assertThat(actionStarted.await(10, TimeUnit.SECONDS)).isTrue();
            // the action blocks; the call's monitor is free: another thread asks and is answered at once
            CompletableFuture<Boolean> asked = CompletableFuture.supplyAsync(serverCall::isCancelled);
            assertThat(asked.get(5, TimeUnit.SECONDS)).isTrue();
            // a completion from another thread waits for the running action, and no action runs after it
            CompletableFuture<Void> completing = CompletableFuture.runAsync(() -> {
                reply.join().complete("done anyway");
                events.add("completed");
            });
            assertThat(completing).as("completion waits for the running action").isNotDone();
            releaseAction.countDown();
            completing.get(10, TimeUnit.SECONDS);
            assertThat(events).containsExactly("action starts, done=false", "action ends, done=false", "completed");
            serverCall.onCancel(() -> events.add("late action"));
            assertThat(events).as("no action after completion").doesNotContain("late action");
        }
    }
}
