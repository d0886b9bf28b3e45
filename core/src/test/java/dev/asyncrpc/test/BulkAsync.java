package dev.asyncrpc.test;

import java.util.concurrent.CompletableFuture;

import dev.asyncrpc.AsyncRemote;
import dev.asyncrpc.InPipe;
import dev.asyncrpc.OutPipe;
import dev.asyncrpc.RemoteService;

/** The caller's asynchronous view of {@link Bulk}. */
@RemoteService("bulk")
public interface BulkAsync {

    @AsyncRemote
    CompletableFuture<Bulk.Digest> upload(InPipe<byte[]> chunks);

    @AsyncRemote
    CompletableFuture<Void> download(long bytes, int chunkSize, OutPipe<byte[]> chunks);
}
