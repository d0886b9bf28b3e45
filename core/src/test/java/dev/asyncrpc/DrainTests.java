package dev.asyncrpc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Graceful drain: calls in progress finish, later calls are refused with a retry-safe status, none is lost. */
class DrainTests {

    @RemoteService("slow")
    interface Slow {
        @AsyncRemote
        AsyncCall<Integer> work(int n);
    }

    @RemoteService("slow")
    interface SlowEndpoint {
        @AsyncRemote
        CompletableFuture<Integer> work(int n);
    }

    @Test
    void shutdownLetsCallsInProgressFinishAndRefusesLaterOnesWithARetrySafeStatus() throws Exception {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        CountDownLatch arrived = new CountDownLatch(200);
        SlowEndpoint endpoint = n -> {
            arrived.countDown();
            CompletableFuture<Integer> f = new CompletableFuture<>();
            timer.schedule(() -> f.complete(n), 300, TimeUnit.MILLISECONDS);
            return f;
        };
        AsyncRpcServer server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(endpoint).build().start();
        try (AsyncRpcClient client = AsyncRpcClient.builder().address(server.address()).build()) {
            Slow slow = client.proxy(Slow.class);
            List<AsyncCall<Integer>> inFlight = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                inFlight.add(slow.work(i));
            }
            assertThat(arrived.await(10, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<Integer> unfinished = CompletableFuture.supplyAsync(() -> server.shutdown(Duration.ofSeconds(10)));
            // calls issued while the server drains
            List<AsyncCall<Integer>> late = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                late.add(slow.work(1000 + i));
            }
            assertThat(unfinished.get(20, TimeUnit.SECONDS)).as("calls left unfinished by the drain").isZero();
            AtomicInteger succeeded = new AtomicInteger();
            for (int i = 0; i < inFlight.size(); i++) {
                assertThat(inFlight.get(i).join(Duration.ofSeconds(10))).isEqualTo(i);
                succeeded.incrementAndGet();
            }
            int refused = 0;
            int lateSucceeded = 0;
            for (AsyncCall<Integer> call : late) {
                try {
                    call.join(Duration.ofSeconds(10));
                    lateSucceeded++;
                }
                catch (RemoteCallException ex) {
                    assertThat(ex.status()).isIn(Status.NOT_DISPATCHED, Status.UNAVAILABLE);
                    refused++;
                }
            }
            System.out.printf("drain: %d in-flight completed, late calls: %d completed, %d refused, 0 lost%n", succeeded.get(), lateSucceeded, refused);
            assertThat(succeeded.get()).isEqualTo(200);
            assertThat(refused + lateSucceeded).isEqualTo(50);
        }
        finally {
            server.close();
            timer.shutdownNow();
        }
    }
}
