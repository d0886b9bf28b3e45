package dev.asyncrpc;

import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;

import dev.asyncrpc.internal.pipe.DefaultOutPipe;

/**
 * A DCE out-pipe: a stream of elements that flows from the implementer to the caller while the call
 * is in progress (Microsoft RPC's {@code [out] pipe}). Declare it as a parameter of an operation,
 * such as {@code void export(Query q, OutPipe<Row> rows)}. All out-pipe data reaches the caller
 * before the call's result.
 *
 * <p>One type serves both ends. The caller makes the pipe ({@link #create()}), passes it as the
 * argument and <em>receives</em> from it: {@link #pull(int)}, {@link #onAvailable(Runnable)}, the
 * blocking {@link #iterator()}, or by subscribing to it as a {@link Flow.Publisher} (cancelling
 * that subscription cancels the call). The implementer receives its own end and <em>sends</em>
 * through it: {@link #push}, {@link #close()}, {@link #abort(Throwable)}, or by subscribing it to a
 * publisher as a {@link Flow.Subscriber}. Using an operation of the other end throws
 * {@link IllegalStateException}.
 *
 * <p>The implementer must {@link #close()} every out-pipe before it completes the call; the result
 * is sent once the end has been sent. Completing while an out-pipe is still open fails the call with
 * {@link Status#PIPE_ERROR}. A plain caller blocks until the result, which comes after all the
 * pipe's data: consume the pipe from another thread (or subscribe to it) before calling.
 *
 * <p>Flow control, buffering and element rules are those of {@link InPipe}. With Reactor, a caller
 * may declare {@code @AsyncRemote Flux<T> op(...)} instead of taking an out-pipe.
 *
 * @param <T> the element type: any type the codec supports; {@code byte[]} and
 *        {@link java.nio.ByteBuffer} elements travel as raw bytes
 */
public interface OutPipe<T> extends Flow.Publisher<T>, Flow.Subscriber<T>, Iterable<T> {

    /**
     * A new pipe for a caller to pass to one call and receive from.
     * @param <T> the element type
     * @return the caller's (receiving) end
     */
    static <T> OutPipe<T> create() {
        return new DefaultOutPipe<>();
    }

    /**
     * Send elements (sending end). Never blocks: the elements are encoded and queued when they fit
     * in the pipe's buffer, or held until they do.
     * @param elements the elements, none {@code null}; no elements is a no-op
     * @return a stage that completes once these elements fit within the receiver's pipe window
     *         (at once while it has room, so awaiting each push waits only when the window is
     *         full; the elements have been encoded and the arrays may be reused), or fails with a
     *         {@link RemoteCallException} if they never will be. For send complete (handed to the
     *         transport) use {@link #whenSent()}
     * @throws IllegalStateException on the receiving end, or after {@link #close()} or {@link #abort}
     */
    @SuppressWarnings("unchecked")
    CompletionStage<Void> push(T... elements);

    /**
     * Send elements (sending end); as {@link #push(Object[])}.
     * @param elements the elements, none {@code null}
     * @return a stage that completes once the elements fit within the receiver's window
     * @throws IllegalStateException on the receiving end, or after {@link #close()} or {@link #abort}
     */
    CompletionStage<Void> push(List<? extends T> elements);

    /**
     * Send complete (sending end): a stage that completes once every element pushed before this
     * call has been handed to the transport (Microsoft RPC's {@code RPC_C_NOTIFY_ON_SEND_COMPLETE}
     * and {@code RpcSendComplete}).
     * @return the stage; it fails with a {@link RemoteCallException} if the pipe fails first
     * @throws IllegalStateException on the receiving end
     */
    CompletionStage<Void> whenSent();

    /**
     * Whether a push made now would be accepted at once (sending end): the pipe is attached to its
     * call, open, and less than the receiver's window is queued or in flight.
     * @return whether the pipe is ready for more
     * @throws IllegalStateException on the receiving end
     */
    boolean isReady();

    /**
     * Run {@code callback} once, on the client's or server's executor, when the pipe becomes
     * ready ({@link #isReady()}) or can take no more pushes (it ended or failed); if it already is,
     * the callback is handed to the executor at once. Replaces a callback registered before that has
     * not run (sending end).
     * @param callback the callback
     * @throws IllegalStateException on the receiving end
     */
    void onReady(Runnable callback);

    /**
     * As {@link #onReady(Runnable)}, running the callback on {@code executor}.
     * @param callback the callback
     * @param executor where it runs
     * @throws IllegalStateException on the receiving end
     */
    void onReady(Runnable callback, Executor executor);

    /**
     * End the pipe after the elements already pushed (sending end): the final push of zero elements.
     * Idempotent.
     * @return a stage that completes when the end has been handed to the transport
     * @throws IllegalStateException on the receiving end, or after {@link #abort}
     */
    CompletionStage<Void> close();

    /**
     * Fail the pipe (sending end): elements whose push stage has not completed are dropped (their
     * stages fail), and the caller, once it has pulled the elements sent before, gets a
     * {@link RemoteCallException}. Does nothing if the pipe already ended.
     * @param cause why
     * @throws IllegalStateException on the receiving end
     */
    void abort(Throwable cause);

    /**
     * Take up to {@code max} elements that have arrived (receiving end). Never blocks: returns an
     * empty list when nothing is there yet, and also at the end, which {@link #isClosed()} tells
     * apart.
     * @param max the most elements to take, at least 1
     * @return the elements, in order
     * @throws RemoteCallException if the pipe failed (aborted, connection lost, call ended) and
     *         every element that arrived before the failure has been pulled
     * @throws IllegalStateException on the sending end
     */
    List<T> pull(int max);

    /**
     * Run {@code callback} once, on the client's completion executor (the event loop with
     * {@code directCompletion(true)}), when elements or the end are there to pull (if they already
     * are, the callback is handed to the executor at once; it never runs on the calling thread);
     * register again for the next ones.
     * @param callback the callback
     * @throws IllegalStateException on the sending end
     */
    void onAvailable(Runnable callback);

    /**
     * As {@link #onAvailable(Runnable)}, running the callback on {@code executor}.
     * @param callback the callback
     * @param executor where it runs
     * @throws IllegalStateException on the sending end
     */
    void onAvailable(Runnable callback, Executor executor);

    /**
     * Whether the pipe has ended: on the receiving end, every element has been pulled and the end
     * arrived (or the pipe failed); on the sending end, it was closed or aborted or failed.
     * @return whether the pipe ended
     */
    boolean isClosed();

    /**
     * A blocking iterator over the elements (receiving end): {@code hasNext()} waits for the next
     * element or the end. Never use it on an event loop.
     * @return the iterator
     * @throws IllegalStateException on the sending end
     */
    @Override
    Iterator<T> iterator();
}
