package dev.asyncrpc;

import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;

import dev.asyncrpc.internal.pipe.DefaultInPipe;

/**
 * A DCE in-pipe: a stream of elements that flows from the caller to the implementer while the call
 * is in progress (Microsoft RPC's {@code [in] pipe}). Declare it as a parameter of an operation,
 * such as {@code Summary upload(String batch, InPipe<Record> records)}.
 *
 * <p>One type serves both ends. The caller makes the pipe ({@link #create()} or
 * {@link #from(Flow.Publisher)}), passes it as the argument and <em>sends</em> through it:
 * {@link #push}, {@link #close()}, {@link #abort(Throwable)}, or by subscribing it as a
 * {@link Flow.Subscriber} to a publisher. The implementer receives its own end and
 * <em>receives</em> from it: {@link #pull(int)}, {@link #onAvailable(Runnable)}, the blocking
 * {@link #iterator()}, or by subscribing to it as a {@link Flow.Publisher}. Using an operation of
 * the other end throws {@link IllegalStateException}.
 *
 * <p>Flow control is per pipe and enforced by the receiver: at most the pipe window (a setting of
 * the receiving side, 1 MiB by default) is in flight, and credit returns as the receiving
 * application consumes elements. A push's stage completes once its elements fit within that
 * window, at once while there is room; pushes beyond hold only references to the elements until
 * then (do not modify a pushed array before its stage completes). {@link #isReady()} and
 * {@link #onReady(Runnable)} tell a producer when there is room; {@link #whenSent()} is send
 * complete. An element's encoding may take at most half the receiver's window.
 *
 * <p>With Reactor, adapt with {@code reactor.adapter.JdkFlowAdapter}: {@code InPipe.from(
 * JdkFlowAdapter.publisherToFlowPublisher(flux))} on the caller,
 * {@code JdkFlowAdapter.flowPublisherToFlux(pipe)} on the implementer.
 *
 * @param <T> the element type: any type the codec supports; {@code byte[]} and
 *        {@link java.nio.ByteBuffer} elements travel as raw bytes
 */
public interface InPipe<T> extends Flow.Publisher<T>, Flow.Subscriber<T>, Iterable<T> {

    /**
     * A new pipe for a caller to pass to one call and push into. Pushes made before the call is
     * issued wait (as references) until it is.
     * @param <T> the element type
     * @return the caller's (sending) end
     */
    static <T> InPipe<T> create() {
        return new DefaultInPipe<>(null);
    }

    /**
     * A new pipe fed from {@code source}: the pipe subscribes when the call is issued, requests
     * elements only as credit and its buffer allow, closes when the source completes and aborts
     * when it fails. A received in-pipe is a publisher too, so an implementer can forward it.
     * @param <T> the element type
     * @param source the publisher
     * @return the caller's (sending) end
     */
    static <T> InPipe<T> from(Flow.Publisher<? extends T> source) {
        if (source == null) {
            throw new NullPointerException("source");
        }
        return new DefaultInPipe<>(source);
    }

    /**
     * Send elements (sending end). Never blocks: the elements are encoded and queued when they fit
     * in the pipe's buffer, or held until they do.
     * @param elements the elements, none {@code null}; no elements is a no-op (use {@link #close()}
     *        to end the pipe)
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
     * End the pipe after the elements already pushed (sending end): Microsoft RPC's final push of
     * zero elements. Idempotent.
     * @return a stage that completes when the end has been handed to the transport
     * @throws IllegalStateException on the receiving end, or after {@link #abort}
     */
    CompletionStage<Void> close();

    /**
     * Fail the pipe (sending end): elements whose push stage has not completed are dropped (their
     * stages fail), and the receiver, once it has pulled the elements sent before, gets a
     * {@link RemoteCallException} with the status of {@code cause} (if it is a
     * {@link RemoteCallException}) or {@link Status#APPLICATION_ERROR} and its message. Does nothing
     * if the pipe already ended.
     * @param cause why
     * @throws IllegalStateException on the receiving end
     */
    void abort(Throwable cause);

    /**
     * Take up to {@code max} elements that have arrived (receiving end). Never blocks: returns an
     * empty list when nothing is there yet (Microsoft RPC's {@code RPC_S_ASYNC_CALL_PENDING}), and
     * also at the end, which {@link #isClosed()} tells apart.
     * @param max the most elements to take, at least 1
     * @return the elements, in order
     * @throws RemoteCallException if the pipe failed (aborted by the sender, connection lost, call
     *         ended) and every element that arrived before the failure has been pulled
     * @throws IllegalStateException on the sending end
     */
    List<T> pull(int max);

    /**
     * Run {@code callback} once when elements or the end are there to pull; register again to hear
     * about the next ones (Microsoft RPC's {@code RpcReceiveComplete}). If they already are there,
     * the callback is handed to the server's worker executor at once: it never runs on the calling
     * thread. Otherwise it runs when they arrive: on the implementer's end of an asynchronous
     * implementation, on the event loop that read them once the operation's callbacks have proven
     * fast (so it must pull what is there and return, never block), else on a worker; see
     * {@code docs/threads.md}.
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
     * A blocking iterator over the elements (receiving end), for plain implementations on a worker
     * thread: {@code hasNext()} waits for the next element or the end. Never use it on an event
     * loop.
     * @return the iterator
     * @throws IllegalStateException on the sending end
     */
    @Override
    Iterator<T> iterator();
}
