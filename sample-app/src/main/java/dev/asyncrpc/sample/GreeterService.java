package dev.asyncrpc.sample;

import dev.asyncrpc.AsyncRemote;
import dev.asyncrpc.AsyncReply;
import dev.asyncrpc.RemoteService;

/**
 * The implementer's view of the "greeter" service: {@code greet} is plain (it runs on a worker
 * thread), {@code greetLater} is asynchronous (it completes an {@link AsyncReply} later).
 */
@RemoteService("greeter")
public interface GreeterService {

    Greeting greet(String name);

    @AsyncRemote
    void greetLater(String name, long delayMillis, AsyncReply<Greeting> reply);
}
