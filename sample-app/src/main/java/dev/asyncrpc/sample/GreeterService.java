package dev.asyncrpc.sample;

import dev.asyncrpc.AsyncRemote;
import dev.asyncrpc.AsyncReply;
import dev.asyncrpc.InPipe;
import dev.asyncrpc.OutPipe;
import dev.asyncrpc.RemoteService;

/**
 * The implementer's view of the "greeter" service: {@code greet} is plain (it runs on a worker
 * thread), {@code greetLater} is asynchronous (it completes an {@link AsyncReply} later),
 * {@code greetEach} is plain and streams: it reads names from an in-pipe and pushes a greeting for
 * each to an out-pipe as it goes.
 */
@RemoteService("greeter")
public interface GreeterService {

    Greeting greet(String name);

    @AsyncRemote
    void greetLater(String name, long delayMillis, AsyncReply<Greeting> reply);

    int greetEach(InPipe<String> names, OutPipe<Greeting> greetings);
}
