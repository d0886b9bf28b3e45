package dev.asyncrpc.internal.pipe;

import java.lang.ref.Cleaner;
import java.time.Duration;

import dev.asyncrpc.PipeInfo;
import dev.asyncrpc.RemoteCallException;
import dev.asyncrpc.Status;

/**
 * A receiving end whose call has ended while it still holds elements nobody has pulled. It stands
 * for the end in the {@link PipeRegistry} (so the registry does not keep the end reachable) and
 * releases the held buffers when the first of these happens: the reader pulls the rest (the end
 * {@link #finished() finishes} it), the application drops the pipe (a {@link Cleaner} notices), or
 * the runtime closes ({@link PipeRegistry#close}). Refers to the buffers, never to the end.
 */
final class UnreadPipe implements PipeStats, Runnable {

    private static final Cleaner CLEANER = Cleaner.create(r -> {
        Thread t = new Thread(r, "asyncrpc-pipe-cleaner");
        t.setDaemon(true);
        return t;
    });

    private final InboundChunks chunks;
    private final PipeInfo last;
    private final PipeRegistry registry;
    private volatile Cleaner.Cleanable cleanable;
    private volatile boolean pulled;

    private UnreadPipe(InboundChunks chunks, PipeInfo last, PipeRegistry registry) {
        this.chunks = chunks;
        this.last = last;
        this.registry = registry;
    }

    /**
     * Watch {@code end}'s unread {@code chunks} until they are pulled, the end becomes unreachable
     * or the registry closes.
     * @param last the end's counters when its call ended (they no longer change)
     * @param replaced the registry entry this one replaces, or {@code null}
     */
    static UnreadPipe watch(Object end, InboundChunks chunks, PipeInfo last, PipeRegistry registry, PipeStats replaced) {
        UnreadPipe u = new UnreadPipe(chunks, last, registry);
        if (registry != null && !registry.replace(replaced, u)) {
            // the runtime has closed: nothing may be held any longer
            u.run();
            return u;
        }
        u.cleanable = CLEANER.register(end, u);
        return u;
    }

    /** The reader took everything (or the buffers were released otherwise): stop watching. */
    void finished() {
        this.pulled = true;
        Cleaner.Cleanable c = this.cleanable;
        if (c != null) {
            c.clean();
        }
        else {
            run();
        }
    }

    /** Release the buffers and leave the registry (the cleaner's action; idempotent). */
    @Override
    public void run() {
        if (!this.pulled) {
            this.chunks.release(new RemoteCallException(Status.CANCELLED, "the pipe's unread elements were released"));
        }
        if (this.registry != null) {
            this.registry.remove(this);
        }
    }

    /** Release the buffers because the runtime closed (the registry, closing). */
    void close(String why) {
        this.chunks.release(new RemoteCallException(Status.UNAVAILABLE, "the pipe's unread elements were released: " + why));
        Cleaner.Cleanable c = this.cleanable;
        if (c != null) {
            c.clean();
        }
        else if (this.registry != null) {
            this.registry.remove(this);
        }
    }

    @Override
    public PipeInfo info() {
        PipeInfo l = this.last;
        return new PipeInfo(l.operation(), l.callId(), l.index(), l.direction(), l.sending(), l.elements(), l.bytes(), l.window(),
                0, this.chunks.bytes(), Duration.ZERO);
    }
}
