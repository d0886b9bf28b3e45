package dev.asyncrpc.test;

import java.util.concurrent.CompletableFuture;

import dev.asyncrpc.AsyncRemote;
import dev.asyncrpc.InPipe;
import dev.asyncrpc.RemoteService;

/** The asynchronous view of {@link Notes}, for callers and for implementations. */
@RemoteService("notes")
public interface NotesAsync {

    @AsyncRemote
    CompletableFuture<String> find(String key);

    @AsyncRemote
    CompletableFuture<Integer> count(InPipe<String> words);
}
