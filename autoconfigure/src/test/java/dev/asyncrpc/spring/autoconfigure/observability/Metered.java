package dev.asyncrpc.spring.autoconfigure.observability;

import java.util.concurrent.CompletableFuture;

import dev.asyncrpc.AsyncCall;
import dev.asyncrpc.AsyncRemote;
import dev.asyncrpc.RemoteService;
import dev.asyncrpc.ServerCall;

/** The "metered" test service, in the three views of it. */
final class Metered {

    static final String SERVICE = "metered";

    private Metered() {
    }

    /** A plain caller. */
    @RemoteService(SERVICE)
    interface Plain {

        String greet(String name);
    }

    /** An asynchronous caller. */
    @RemoteService(SERVICE)
    interface Async {

        @AsyncRemote
        AsyncCall<String> greet(String name);

        @AsyncRemote
        AsyncCall<String> hold(String key);
    }

    /** The implementer: {@code greet} is plain, {@code hold} asynchronous. */
    @RemoteService(SERVICE)
    interface Service {

        String greet(String name);

        @AsyncRemote
        CompletableFuture<String> hold(String key, ServerCall call);
    }
}
