package dev.asyncrpc.spring.autoconfigure.pipes;

import java.util.concurrent.CompletableFuture;

import dev.asyncrpc.AsyncCall;
import dev.asyncrpc.AsyncRemote;
import dev.asyncrpc.InPipe;
import dev.asyncrpc.OutPipe;
import dev.asyncrpc.RemoteService;

/** The "transfer" test service, asynchronous caller's view. */
@RemoteService(Transfer.SERVICE)
public interface TransferAsync {

    @AsyncRemote
    CompletableFuture<Long> upload(InPipe<byte[]> data);

    @AsyncRemote
    AsyncCall<Void> download(int chunks, int chunkSize, OutPipe<byte[]> data);
}
