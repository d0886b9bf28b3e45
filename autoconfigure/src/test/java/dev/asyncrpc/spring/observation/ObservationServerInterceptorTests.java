package dev.asyncrpc.spring.observation;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.asyncrpc.AsyncRemote;
import dev.asyncrpc.AsyncRpcClient;
import dev.asyncrpc.AsyncRpcServer;
import dev.asyncrpc.RemoteService;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Observing calls keeps them eligible for inline dispatch: once past its warm-up, a small call of
 * an asynchronous implementation runs on the event loop that read it, inside its server
 * observation, as it does without the interceptor.
 */
@Timeout(60)
class ObservationServerInterceptorTests {

    /** More sequential calls than the inline gate's warm-up (32 invocations on the workers). */
    private static final int PAST_WARM_UP = 64;

    @RemoteService("observed")
    public interface Observed {

        /** The thread the implementation ran on and the name of the observation current there. */
        @AsyncRemote
        CompletableFuture<String> where();
    }

    static final class ObservedImpl implements Observed {

        private final ObservationRegistry registry;

        ObservedImpl(ObservationRegistry registry) {
            this.registry = registry;
        }

        @Override
        public CompletableFuture<String> where() {
            Observation current = this.registry.getCurrentObservation();
            String observation = (current != null) ? current.getContext().getName() : "none";
            return CompletableFuture.completedFuture(Thread.currentThread().getName() + " " + observation);
        }
    }

    /** Counts stopped observations. */
    static final class Stops implements ObservationHandler<Observation.Context> {

        final AtomicInteger stopped = new AtomicInteger();

        @Override
        public void onStop(Observation.Context context) {
            this.stopped.incrementAndGet();
        }

        @Override
        public boolean supportsContext(Observation.Context context) {
            return context instanceof AsyncRpcServerObservationContext;
        }
    }

    @Test
    void observedCallsOfAFastAsynchronousImplementationRunOnTheEventLoopInsideTheirObservation() throws Exception {
        ObservationRegistry registry = ObservationRegistry.create();
        Stops stops = new Stops();
        registry.observationConfig().observationHandler(stops);
        try (AsyncRpcServer server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(new ObservedImpl(registry))
                .interceptor(new ObservationServerInterceptor(registry, null))
                // a limit no invocation reaches, even on a loaded machine: this test is about eligibility, not timing
                .inlineDispatchLimit(Duration.ofSeconds(10)).build().start();
                AsyncRpcClient client = AsyncRpcClient.builder().address(server.address()).build()) {
            Observed observed = client.proxy(Observed.class);
            String first = observed.where().get(30, TimeUnit.SECONDS);
            assertThat(first).startsWith("asyncrpc-worker-").endsWith(" asyncrpc.server.requests");
            for (int i = 1; i < PAST_WARM_UP; i++) {
                observed.where().get(30, TimeUnit.SECONDS);
            }
            String later = observed.where().get(30, TimeUnit.SECONDS);
            assertThat(later).startsWith("asyncrpc-server-io").endsWith(" asyncrpc.server.requests");
            assertThat(stops.stopped).hasValue(PAST_WARM_UP + 1);
        }
    }
}
