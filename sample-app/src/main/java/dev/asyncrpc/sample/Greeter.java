package dev.asyncrpc.sample;

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
}
