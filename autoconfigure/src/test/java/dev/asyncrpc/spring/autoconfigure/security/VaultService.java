package dev.asyncrpc.spring.autoconfigure.security;

import dev.asyncrpc.AsyncRemote;
import dev.asyncrpc.AsyncReply;
import dev.asyncrpc.InPipe;
import dev.asyncrpc.RemoteService;
import dev.asyncrpc.ServerCall;

/** The "vault" test service, the implementer's view (asynchronous for two operations). */
@RemoteService(VaultService.NAME)
public interface VaultService {

    /** The service name. */
    String NAME = "vault";

    /** Permitted to anonymous callers in the tests. */
    String hello(String name);

    /** Who the implementation sees: {@code principal=<name> context=<name>}. */
    String whoami();

    /** Needs SCOPE_admin (method security). */
    String reset();

    /** {@link #whoami()} in the method, then again on another thread that completes the reply. */
    @AsyncRemote
    void whoamiLater(AsyncReply<String> reply, ServerCall call);

    /** Who each onAvailable callback of the in-pipe sees, distinct names joined by commas. */
    @AsyncRemote
    void collect(InPipe<String> items, AsyncReply<String> reply);
}
