package dev.asyncrpc.spring.autoconfigure.scan;

import dev.asyncrpc.AsyncCall;
import dev.asyncrpc.AsyncRemote;
import dev.asyncrpc.RemoteService;

@RemoteService("echo")
public interface EchoAsync {

    @AsyncRemote
    AsyncCall<String> echo(String text);
}
