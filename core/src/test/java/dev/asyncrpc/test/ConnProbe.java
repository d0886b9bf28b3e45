package dev.asyncrpc.test;

import java.util.concurrent.CompletableFuture;

import dev.asyncrpc.AsyncRemote;
import dev.asyncrpc.RemoteService;

/** The service of the connection-layer tests: both sides use this view. */
@RemoteService("probe")
public interface ConnProbe {

    /** {@code size} zero bytes. */
    byte[] blob(int size);

    String echo(String text);

    /** Blocks its worker until {@link ConnProbeEndpoint#release()}; returns the argument's length. */
    int hold(byte[] data);

    /** Never completes (until the connection goes). */
    @AsyncRemote
    CompletableFuture<String> park();
}
