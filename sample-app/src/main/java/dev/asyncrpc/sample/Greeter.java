package dev.asyncrpc.sample;

import dev.asyncrpc.InPipe;
import dev.asyncrpc.OutPipe;
import dev.asyncrpc.RemoteService;

/** The "greeter" service as a plain (blocking) caller sees it. */
@RemoteService("greeter")
public interface Greeter {

    /**
     * Greet at once.
     * @param name who to greet; blank fails with APPLICATION_ERROR
     * @return the greeting
     */
    Greeting greet(String name);

    /**
     * Greet after a delay; the implementation holds no thread meanwhile.
     * @param name who to greet
     * @param delayMillis how long to wait; negative fails with INVALID_ARGUMENT
     * @return the greeting
     */
    Greeting greetLater(String name, long delayMillis);

    /**
     * Greet every name that comes through a pipe, each greeting going back through another pipe as
     * soon as it is made. A plain caller feeds {@code names} (and closes it) before the call, and
     * reads {@code greetings} on another thread while the call blocks.
     * @param names the names, caller to implementer; blank fails with APPLICATION_ERROR
     * @param greetings one greeting per name, in order, implementer to caller
     * @return how many names were greeted
     */
    int greetEach(InPipe<String> names, OutPipe<Greeting> greetings);
}
