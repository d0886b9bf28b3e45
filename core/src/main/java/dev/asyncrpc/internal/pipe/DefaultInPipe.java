package dev.asyncrpc.internal.pipe;

import java.util.concurrent.Flow;

import dev.asyncrpc.InPipe;

/**
 * {@link InPipe}: the caller's end sends, the implementer's end receives.
 *
 * @param <T> the element type
 */
public final class DefaultInPipe<T> extends PipeEnd<T> implements InPipe<T> {

    /**
     * A caller's (sending) end.
     * @param source the publisher to subscribe to when the call is issued, or {@code null}
     */
    public DefaultInPipe(Flow.Publisher<? extends T> source) {
        super(true, true, source);
    }

    /** An implementer's (receiving) end. */
    DefaultInPipe() {
        super(true, false, null);
    }
}
