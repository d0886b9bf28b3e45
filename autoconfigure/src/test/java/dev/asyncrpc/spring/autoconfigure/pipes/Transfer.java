package dev.asyncrpc.spring.autoconfigure.pipes;

import dev.asyncrpc.InPipe;
import dev.asyncrpc.OutPipe;
import dev.asyncrpc.RemoteService;

/** The "transfer" test service, plain view: {@code upload} answers the bytes it read, {@code download} sends chunks. */
@RemoteService(Transfer.SERVICE)
public interface Transfer {

    /** The service name. */
    String SERVICE = "transfer";

    long upload(InPipe<byte[]> data);

    void download(int chunks, int chunkSize, OutPipe<byte[]> data);
}
