package dev.asyncrpc.internal.pipe;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;

/**
 * One end of a pipe: the implementation behind {@code InPipe} and {@code OutPipe}. An end either
 * sends (a {@link PipeSender}) or receives (a {@link PipeReceiver}); the operations of the other
 * role throw {@link IllegalStateException} naming what this end is.
 *
 * @param <T> the element type
 */
public abstract class PipeEnd<T> implements Flow.Publisher<T>, Flow.Subscriber<T>, Iterable<T> {

    private final boolean in;
    private final PipeSender<T> sender;
    private final PipeReceiver<T> receiver;

    /**
     * @param in whether this is an in-pipe (caller to implementer)
     * @param sending whether this end sends
     * @param source for a sending caller's in-pipe made with {@code InPipe.from}, its publisher
     */
    PipeEnd(boolean in, boolean sending, Flow.Publisher<? extends T> source) {
        this.in = in;
        this.sender = sending ? new PipeSender<>(this, source) : null;
        this.receiver = sending ? null : new PipeReceiver<>(this);
    }

    /** Whether this is an in-pipe. */
    public final boolean isIn() {
        return this.in;
    }

    /** The sending machinery, or {@code null} on a receiving end. */
    final PipeSender<T> sender() {
        return this.sender;
    }

    /** The receiving machinery, or {@code null} on a sending end. */
    final PipeReceiver<T> receiver() {
        return this.receiver;
    }

    /** Whether the end is the caller's (in-pipe sender, out-pipe receiver). */
    final boolean isCallersEnd() {
        return this.in == (this.sender != null);
    }

    final String kind() {
        return this.in ? "InPipe" : "OutPipe";
    }

    /** For messages: {@code the caller's end of InPipe #0 of inventory/upload}. */
    final String describe() {
        String who = isCallersEnd() ? "the caller's end" : "the implementer's end";
        PipeIdentity id = (this.sender != null) ? this.sender.identity() : this.receiver.identity();
        return who + " of " + kind() + ((id != null) ? " #" + id.index() + " of " + id.operation() : " (not yet passed to a call)");
    }

    private PipeSender<T> sending(String operation) {
        if (this.sender == null) {
            throw new IllegalStateException(operation + " is an operation of the sending end, but this is " + describe()
                    + ", which receives: use pull, onAvailable, iterator or subscribe");
        }
        return this.sender;
    }

    private PipeReceiver<T> receiving(String operation) {
        if (this.receiver == null) {
            throw new IllegalStateException(operation + " is an operation of the receiving end, but this is " + describe()
                    + ", which sends: use push, close, abort or let it subscribe to a publisher");
        }
        return this.receiver;
    }

    // ---- sending end ----

    @SafeVarargs
    public final CompletionStage<Void> push(T... elements) {
        Objects.requireNonNull(elements, "elements");
        return sending("push").push(Arrays.asList(elements));
    }

    public final CompletionStage<Void> push(List<? extends T> elements) {
        Objects.requireNonNull(elements, "elements");
        return sending("push").push(elements);
    }

    public final CompletionStage<Void> whenSent() {
        return sending("whenSent").whenSent();
    }

    public final boolean isReady() {
        return sending("isReady").isReady();
    }

    public final void onReady(Runnable callback) {
        sending("onReady").onReady(Objects.requireNonNull(callback, "callback"), null);
    }

    public final void onReady(Runnable callback, Executor executor) {
        sending("onReady").onReady(Objects.requireNonNull(callback, "callback"), Objects.requireNonNull(executor, "executor"));
    }

    public final CompletionStage<Void> close() {
        return sending("close").close();
    }

    public final void abort(Throwable cause) {
        sending("abort").abort(Objects.requireNonNull(cause, "cause"));
    }

    @Override
    public final void onSubscribe(Flow.Subscription subscription) {
        Objects.requireNonNull(subscription, "subscription");
        if (this.sender == null) {
            subscription.cancel();
            throw new IllegalStateException("onSubscribe: " + describe() + " receives and cannot subscribe to a publisher");
        }
        this.sender.onSubscribe(subscription);
    }

    @Override
    public final void onNext(T item) {
        sending("onNext").onNext(Objects.requireNonNull(item, "item"));
    }

    @Override
    public final void onError(Throwable throwable) {
        sending("onError").onError(Objects.requireNonNull(throwable, "throwable"));
    }

    @Override
    public final void onComplete() {
        sending("onComplete").onComplete();
    }

    // ---- receiving end ----

    public final List<T> pull(int max) {
        return receiving("pull").pull(max);
    }

    public final void onAvailable(Runnable callback) {
        receiving("onAvailable").onAvailable(Objects.requireNonNull(callback, "callback"), null);
    }

    public final void onAvailable(Runnable callback, Executor executor) {
        receiving("onAvailable").onAvailable(Objects.requireNonNull(callback, "callback"), Objects.requireNonNull(executor, "executor"));
    }

    @Override
    public final Iterator<T> iterator() {
        return receiving("iterator").iterator();
    }

    @Override
    public final void subscribe(Flow.Subscriber<? super T> subscriber) {
        receiving("subscribe").subscribe(Objects.requireNonNull(subscriber, "subscriber"));
    }

    // ---- both ----

    public final boolean isClosed() {
        return (this.sender != null) ? this.sender.isClosed() : this.receiver.isClosed();
    }

    @Override
    public final String toString() {
        return kind() + "[" + describe() + ", " + ((this.sender != null) ? this.sender.stateName() : this.receiver.stateName()) + "]";
    }
}
