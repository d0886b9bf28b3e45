package dev.asyncrpc;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What a plain implementation learns about its call through {@link ServerCall#current()}. */
class ServerCallTests {

    @RemoteService("who")
    interface Who {
        String describe();
    }

    static final class Describer implements Who {
        @Override
        public String describe() {
            ServerCall call = ServerCall.current();
            return call.service() + "/" + call.operation() + " from " + call.peer().replaceAll(":\\d+$", ":*")
                    + " tenant=" + call.metadata().get("tenant") + " cancelled=" + ServerCall.currentIsCancelled()
                    + " deadline=" + call.remaining().map(r -> r.compareTo(Duration.ofSeconds(5)) <= 0 && !r.isNegative()).orElse(false);
        }
    }

    @Test
    void currentCallDescribesTheCallOnTheDispatchThreadOnly() {
        try (AsyncRpcServer server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(new Describer()).build().start();
                AsyncRpcClient client = AsyncRpcClient.builder().address(server.address()).build()) {
            Who who = client.proxy(Who.class, CallOptions.DEFAULT.withMetadata("tenant", "acme").withTimeout(Duration.ofSeconds(5)));
            assertThat(who.describe()).isEqualTo("who/describe from 127.0.0.1:* tenant=acme cancelled=false deadline=true");
            assertThat(ServerCall.current()).as("outside a dispatch").isNull();
        }
    }
}
