package dev.asyncrpc.spring.autoconfigure.extension;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import dev.asyncrpc.AsyncRemote;
import dev.asyncrpc.RemoteService;
import dev.asyncrpc.ServerCall;
import dev.asyncrpc.spring.RemoteEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** The "ledger" test service: a plain operation and an asynchronous one, in both views. */
final class Ledger {

    private Ledger() {
    }

    /** The caller's view: both operations plain. */
    @RemoteService("ledger")
    interface Client {

        String entry(String id);

        String later(String id);
    }

    /** The implementer's view: {@code later} is asynchronous. */
    @RemoteService("ledger")
    interface Service {

        String entry(String id);

        @AsyncRemote
        CompletableFuture<String> later(String id);
    }

    /** A second service, to check that per-service interceptors leave it alone: the implementer's view. */
    @RemoteService("other")
    interface Other {

        String ping(String text);
    }

    /** The caller's view of "other". */
    @RemoteService("other")
    interface OtherClient {

        String ping(String text);
    }

    /**
     * Logs a line in each operation (and where the asynchronous one continues) and records the
     * MDC entry "callId" each line carried. "missing" throws NoSuchElementException, "broken"
     * IllegalStateException.
     */
    @RemoteEndpoint
    static class Endpoint implements Service, Other {

        private static final Logger logger = LoggerFactory.getLogger(Endpoint.class);

        final AtomicInteger runs = new AtomicInteger();

        final List<String> logged = new CopyOnWriteArrayList<>();

        private final ExecutorService pool = Executors.newSingleThreadExecutor();

        private void log(String line) {
            logger.info(line);
            this.logged.add(line + " callId=" + MDC.get("callId"));
        }

        @Override
        public String entry(String id) {
            this.runs.incrementAndGet();
            log("entry " + id);
            return lookup(id, ServerCall.current());
        }

        @Override
        public CompletableFuture<String> later(String id) {
            this.runs.incrementAndGet();
            log("later " + id);
            ServerCall call = ServerCall.current();
            return CompletableFuture.supplyAsync(() -> {
                log("later continued " + id);
                return lookup(id, call);
            }, call.wrap(this.pool));
        }

        @Override
        public String ping(String text) {
            return "pong " + text + " " + ServerCall.current().metadata().getOrDefault("tenant", "-");
        }

        private static String lookup(String id, ServerCall call) {
            if (id.equals("missing")) {
                throw new NoSuchElementException("no entry '" + id + "'");
            }
            if (id.equals("broken")) {
                throw new IllegalStateException("the ledger is broken");
            }
            return "entry " + id + " for " + call.metadata().getOrDefault("tenant", "-");
        }

        void close() {
            this.pool.shutdownNow();
        }
    }
}
