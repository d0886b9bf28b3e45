package dev.asyncrpc;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import dev.asyncrpc.test.AsyncCalc;
import dev.asyncrpc.test.CalcAsync;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The observer sees every call once on each side, with its status, and metadata travels from client to server. */
class CallObserverTests {

    /** Counts ends by side, operation and status; the client adds a trace id the server reads back. */
    static final class Recording implements CallObserver {
        final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
        final Map<String, String> serverSawTrace = new ConcurrentHashMap<>();
        final AtomicInteger connectionsOpened = new AtomicInteger();

        @Override
        public Object onStart(CallInfo call, Map<String, String> metadata) {
            if (call.side() == CallInfo.Side.CLIENT) {
                metadata.put("trace-id", "t-" + call.operation());
                return "client-context";
            }
            this.serverSawTrace.put(call.operation(), metadata.getOrDefault("trace-id", "none"));
            return "server-context";
        }

        @Override
        public void onEnd(CallInfo call, Object context, Status status) {
            assertThat(context).isEqualTo(call.side() == CallInfo.Side.CLIENT ? "client-context" : "server-context");
            this.counts.computeIfAbsent(call.side() + " " + call.operation() + " " + (status != null ? status : "OK") + (call.async() ? " async" : ""),
                    k -> new AtomicInteger()).incrementAndGet();
        }

        @Override
        public void onConnection(CallInfo.Side side, String peer, boolean open) {
            if (open) {
                this.connectionsOpened.incrementAndGet();
            }
        }

        int count(String key) {
            AtomicInteger n = this.counts.get(key);
            return (n != null) ? n.get() : 0;
        }
    }

    @Test
    void everyCallIsObservedOnceOnEachSideWithItsStatus() throws Exception {
        Recording observer = new Recording();
        try (AsyncRpcServer server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(new AsyncCalc()).observer(observer).build().start();
                AsyncRpcClient client = AsyncRpcClient.builder().address(server.address()).observer(observer).build()) {
            CalcAsync calc = client.proxy(CalcAsync.class);
            for (int i = 0; i < 10; i++) {
                assertThat(calc.add(i, 1).join(Duration.ofSeconds(10))).isEqualTo(i + 1);
            }
            for (int i = 0; i < 3; i++) {
                AsyncCall<String> failing = calc.fail("no");
                try {
                    failing.join(Duration.ofSeconds(10));
                }
                catch (RemoteCallException expected) {
                    assertThat(expected.status()).isEqualTo(Status.APPLICATION_ERROR);
                }
            }
            // each side records a call's end just after completing it (a joiner may wake first) and the
            // server after the reply is queued: wait for the counts, bounded
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while ((observer.count("CLIENT add OK async") < 10 || observer.count("CLIENT fail APPLICATION_ERROR async") < 3
                    || observer.count("SERVER add OK async") < 10 || observer.count("SERVER fail APPLICATION_ERROR async") < 3)
                    && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(observer.count("CLIENT add OK async")).isEqualTo(10);
            assertThat(observer.count("CLIENT fail APPLICATION_ERROR async")).isEqualTo(3);
            assertThat(client.pendingCalls()).isZero();
            assertThat(observer.count("SERVER add OK async")).isEqualTo(10);
            assertThat(observer.count("SERVER fail APPLICATION_ERROR async")).isEqualTo(3);
            assertThat(observer.serverSawTrace).containsEntry("add", "t-add").containsEntry("fail", "t-fail");
            assertThat(observer.connectionsOpened.get()).isEqualTo(2); // one client end, one server end
        }
    }
}
