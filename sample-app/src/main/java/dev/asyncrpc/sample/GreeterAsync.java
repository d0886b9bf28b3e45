package dev.asyncrpc.sample;

import java.util.concurrent.CompletableFuture;

import dev.asyncrpc.AsyncCall;
import dev.asyncrpc.AsyncRemote;
import dev.asyncrpc.InPipe;
import dev.asyncrpc.OutPipe;
import dev.asyncrpc.RemoteService;

/**
 * A caller's asynchronous view of the "greeter" service: same service and operation names as
 * {@link Greeter}, so the same bytes on the wire, but every call returns at once.
 */
@RemoteService("greeter")
public interface GreeterAsync {

    @AsyncRemote
    CompletableFuture<Greeting> greet(String name);

    @AsyncRemote
    AsyncCall<Greeting> greetLater(String name, long delayMillis);

    @AsyncRemote
    CompletableFuture<Integer> greetEach(InPipe<String> names, OutPipe<Greeting> greetings);
}
