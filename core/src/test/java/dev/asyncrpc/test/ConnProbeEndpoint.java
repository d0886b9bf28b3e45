package dev.asyncrpc.test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Implements {@link ConnProbe}. */
public class ConnProbeEndpoint implements ConnProbe {

    private volatile CountDownLatch gate = new CountDownLatch(1);

    @Override
    public byte[] blob(int size) {
        return new byte[size];
    }

    @Override
    public String echo(String text) {
        return text;
    }

    @Override
    public int hold(byte[] data) {
        try {
            this.gate.await(60, TimeUnit.SECONDS); // bounded: a test that forgets to release still ends
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        return data.length;
    }

    /** Let every held call return. */
    public void release() {
        this.gate.countDown();
    }

    @Override
    public CompletableFuture<String> park() {
        return new CompletableFuture<>();
    }
}
