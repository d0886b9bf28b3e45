package dev.asyncrpc.test;

import java.util.concurrent.CompletableFuture;

import dev.asyncrpc.AsyncCall;
import dev.asyncrpc.AsyncRemote;
import dev.asyncrpc.InPipe;
import dev.asyncrpc.RemoteService;

/** The caller's asynchronous view of {@link Hostile}. */
@RemoteService("hostile")
public interface HostileAsync {

    @AsyncRemote
    CompletableFuture<String> greet(String name);

    @AsyncRemote
    AsyncCall<String> greetLater(String name, long delayMillis);

    @AsyncRemote
    CompletableFuture<Integer> count(InPipe<String> names);

    @AsyncRemote
    CompletableFuture<byte[]> bytes(int size);
}
