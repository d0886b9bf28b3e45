package dev.asyncrpc.spring.autoconfigure.scan;

import dev.asyncrpc.RemoteService;

@RemoteService("echo")
public interface Echo {

    String echo(String text);
}
