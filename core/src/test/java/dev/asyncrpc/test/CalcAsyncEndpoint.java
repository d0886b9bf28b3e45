package dev.asyncrpc.test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import dev.asyncrpc.AsyncRemote;
import dev.asyncrpc.AsyncReply;
import dev.asyncrpc.RemoteService;

/** An implementer's asynchronous view of "calc": futures for some operations, reply handles for others. */
@RemoteService("calc")
public interface CalcAsyncEndpoint {

    @AsyncRemote
    CompletableFuture<Integer> add(int a, int b);

    @AsyncRemote
    void echo(String text, AsyncReply<String> reply);

    @AsyncRemote
    CompletionStage<List<Calc.Item>> items(Map<String, Integer> counts);

    @AsyncRemote
    void bytes(byte[] data, AsyncReply<byte[]> reply);

    @AsyncRemote
    CompletableFuture<Void> touch(String key);

    @AsyncRemote
    CompletableFuture<String> fail(String message);
}
