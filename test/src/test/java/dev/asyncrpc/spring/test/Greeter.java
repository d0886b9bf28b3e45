package dev.asyncrpc.spring.test;

import java.util.concurrent.CompletableFuture;

import dev.asyncrpc.AsyncRemote;
import dev.asyncrpc.RemoteService;
import dev.asyncrpc.ServerCall;
import dev.asyncrpc.spring.ImportRemoteServices;
import dev.asyncrpc.spring.RemoteEndpoint;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/** A small application for the test-support tests: one endpoint, an imported client of it. */
final class Greeter {

    private Greeter() {
    }

    @RemoteService("greeter")
    interface Client {

        String greet(String name);

        @AsyncRemote
        CompletableFuture<String> peerOf(String name);
    }

    @RemoteService("greeter")
    interface Service {

        String greet(String name);

        String peerOf(String name);
    }

    @RemoteEndpoint
    static class Endpoint implements Service {

        @Override
        public String greet(String name) {
            return "Hello, " + name;
        }

        @Override
        public String peerOf(String name) {
            return name + " from " + ServerCall.current().peer();
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @ImportRemoteServices(Client.class)
    @Import(Endpoint.class)
    static class App {

    }
}
