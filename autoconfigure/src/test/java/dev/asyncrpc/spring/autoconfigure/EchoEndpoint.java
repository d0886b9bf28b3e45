package dev.asyncrpc.spring.autoconfigure;

import dev.asyncrpc.spring.RemoteEndpoint;
import dev.asyncrpc.spring.autoconfigure.scan.Echo;

/** Serves the test "echo" service: answers "echo: " + the text. */
@RemoteEndpoint
public class EchoEndpoint implements Echo {

    @Override
    public String echo(String text) {
        return "echo: " + text;
    }
}
