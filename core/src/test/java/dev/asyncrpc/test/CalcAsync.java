package dev.asyncrpc.test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import dev.asyncrpc.AsyncCall;
import dev.asyncrpc.AsyncRemote;
import dev.asyncrpc.RemoteService;

/** A caller's asynchronous view of "calc", mixing the handle types. */
@RemoteService("calc")
public interface CalcAsync {

    @AsyncRemote
    AsyncCall<Integer> add(int a, int b);

    @AsyncRemote
    CompletableFuture<String> echo(String text);

    @AsyncRemote
    CompletionStage<List<Calc.Item>> items(Map<String, Integer> counts);

    @AsyncRemote
    AsyncCall<byte[]> bytes(byte[] data);

    @AsyncRemote
    AsyncCall<Void> touch(String key);

    @AsyncRemote
    AsyncCall<String> fail(String message);
}
