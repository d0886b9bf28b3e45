package dev.asyncrpc.test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import dev.asyncrpc.AsyncReply;

/** An asynchronous implementation; completes some operations from another thread. */
public class AsyncCalc implements CalcAsyncEndpoint {

    private final PlainCalc plain = new PlainCalc();
    public final Set<String> touched = ConcurrentHashMap.newKeySet();

    @Override
    public CompletableFuture<Integer> add(int a, int b) {
        return CompletableFuture.supplyAsync(() -> a + b);
    }

    @Override
    public void echo(String text, AsyncReply<String> reply) {
        new Thread(() -> reply.complete(text)).start();
    }

    @Override
    public CompletionStage<List<Calc.Item>> items(Map<String, Integer> counts) {
        return CompletableFuture.completedFuture(this.plain.items(counts));
    }

    @Override
    public void bytes(byte[] data, AsyncReply<byte[]> reply) {
        reply.complete(data);
    }

    @Override
    public CompletableFuture<Void> touch(String key) {
        this.touched.add(String.valueOf(key));
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<String> fail(String message) {
        return CompletableFuture.failedFuture(new IllegalStateException(message));
    }
}
