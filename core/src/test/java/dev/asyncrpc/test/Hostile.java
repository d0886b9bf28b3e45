package dev.asyncrpc.test;

import dev.asyncrpc.InPipe;
import dev.asyncrpc.RemoteService;

/**
 * The service the hostile-peer suite and the soak attack, as a plain caller sees it: the sample's
 * greeter reduced to what the attacks need, plus a reply of a chosen size.
 */
@RemoteService("hostile")
public interface Hostile {

    /** Greet at once (plain: runs on a worker). */
    String greet(String name);

    /** Greet after {@code delayMillis} (asynchronous: a timer completes it, no thread waits). */
    String greetLater(String name, long delayMillis);

    /** Count the names that come through {@code names} (plain: blocks its worker reading the pipe). */
    int count(InPipe<String> names);

    /** {@code size} bytes (plain), for replies larger than a peer accepts. */
    byte[] bytes(int size);
}
