package dev.asyncrpc.spring.autoconfigure.security;

import dev.asyncrpc.InPipe;
import dev.asyncrpc.RemoteService;

/** The "vault" test service, the caller's (plain) view. */
@RemoteService(VaultService.NAME)
public interface Vault {

    String hello(String name);

    String whoami();

    String reset();

    String whoamiLater();

    String collect(InPipe<String> items);
}
