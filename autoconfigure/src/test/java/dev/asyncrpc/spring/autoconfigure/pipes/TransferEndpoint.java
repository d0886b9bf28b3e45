package dev.asyncrpc.spring.autoconfigure.pipes;

import java.util.Arrays;
import java.util.Iterator;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import dev.asyncrpc.InPipe;
import dev.asyncrpc.OutPipe;
import dev.asyncrpc.spring.RemoteEndpoint;

/**
 * Serves {@link Transfer}. Plain (blocking) implementations: {@code upload} reads its in-pipe to the
 * end; when {@link #paced()} it reads one element (and the end) per permit given with
 * {@link #allow}, waiting at most 20 seconds for each. {@code download} pushes {@code chunks}
 * chunks filled with their index, waiting for each push; when gated, it pushes the first half,
 * then waits (at most 20 seconds) for {@link #openGate()} before the rest.
 */
@RemoteEndpoint
public class TransferEndpoint implements Transfer {

    private static final long WAIT_SECONDS = 20;

    private final Semaphore permits = new Semaphore(0);

    private volatile boolean paced;

    private volatile boolean gated;

    private final CountDownLatch gate = new CountDownLatch(1);

    /** Counted down when an upload has read its first element. */
    public final CountDownLatch uploading = new CountDownLatch(1);

    /** Counted down when a download has pushed its first half. */
    public final CountDownLatch downloading = new CountDownLatch(1);

    /** Read uploads one permit at a time from now on. */
    public TransferEndpoint paced() {
        this.paced = true;
        return this;
    }

    /** Hold downloads at half-way until {@link #openGate()}. */
    public TransferEndpoint gated() {
        this.gated = true;
        return this;
    }

    /** Let a paced upload read {@code elements} more elements (or its end). */
    public void allow(int elements) {
        this.permits.release(elements);
    }

    /** Let gated downloads push their second half. */
    public void openGate() {
        this.gate.countDown();
    }

    @Override
    public long upload(InPipe<byte[]> data) {
        long total = 0;
        Iterator<byte[]> it = data.iterator();
        while (true) {
            if (this.paced) {
                await(() -> this.permits.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS), "a permit to read");
            }
            if (!it.hasNext()) {
                return total;
            }
            total += it.next().length;
            this.uploading.countDown();
        }
    }

    @Override
    public void download(int chunks, int chunkSize, OutPipe<byte[]> data) {
        for (int i = 0; i < chunks; i++) {
            if (this.gated && i == chunks / 2) {
                this.downloading.countDown();
                await(() -> this.gate.await(WAIT_SECONDS, TimeUnit.SECONDS), "the gate");
            }
            byte[] chunk = new byte[chunkSize];
            Arrays.fill(chunk, (byte) i);
            data.push(chunk).toCompletableFuture().join();
        }
        data.close();
    }

    private static void await(Interruptible wait, String what) {
        try {
            if (!wait.get()) {
                throw new IllegalStateException("waited " + WAIT_SECONDS + "s for " + what);
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for " + what, ex);
        }
    }

    @FunctionalInterface
    private interface Interruptible {

        boolean get() throws InterruptedException;
    }
}
