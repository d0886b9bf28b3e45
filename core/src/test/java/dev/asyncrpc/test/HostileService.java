package dev.asyncrpc.test;

import dev.asyncrpc.AsyncRemote;
import dev.asyncrpc.AsyncReply;
import dev.asyncrpc.InPipe;
import dev.asyncrpc.RemoteService;

/** The implementer's view of {@link Hostile}: {@code greetLater} completes a reply handle later. */
@RemoteService("hostile")
public interface HostileService {

    String greet(String name);

    @AsyncRemote
    void greetLater(String name, long delayMillis, AsyncReply<String> reply);

    int count(InPipe<String> names);

    byte[] bytes(int size);
}
