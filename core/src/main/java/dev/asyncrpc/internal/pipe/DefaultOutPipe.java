package dev.asyncrpc.internal.pipe;

import dev.asyncrpc.OutPipe;

/**
 * {@link OutPipe}: the implementer's end sends, the caller's end receives.
 *
 * @param <T> the element type
 */
public final class DefaultOutPipe<T> extends PipeEnd<T> implements OutPipe<T> {

    /** A caller's (receiving) end. */
    public DefaultOutPipe() {
        super(false, false, null);
    }

    /** An implementer's (sending) end. */
    DefaultOutPipe(boolean sending) {
        super(false, sending, null);
    }
}
