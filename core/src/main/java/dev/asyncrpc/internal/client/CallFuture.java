package dev.asyncrpc.internal.client;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

import dev.asyncrpc.CallState;
import dev.asyncrpc.CancelMode;
import dev.asyncrpc.RemoteCallException;
import dev.asyncrpc.Status;
import io.netty.buffer.ByteBuf;

/**
 * One outstanding call on the caller's side, and the future its outcome completes. Cancelling the
 * future cancels the call abortively (the server is told). Fields marked "loop" are touched only on
 * the connection's event loop.
 *
 * @param <T> the value type
 */
final class CallFuture<T> extends CompletableFuture<T> {

    final ClientMethod method;

    /** The encoded CALL frame, owned here until it is written or discarded (loop). */
    private ByteBuf request;

    /** The call id on the connection, 0 until the frame is written (loop). */
    int id;

    /** Where the call was sent; set before the call is queued. */
    volatile ClientConnection connection;

    /** The call's pipes, or {@code null}; set before the call is queued. */
    dev.asyncrpc.internal.pipe.CallPipes pipes;

    /** {@code System.nanoTime()} when the caller stops waiting, or 0. */
    final long deadlineNanos;

    /** {@code System.nanoTime()} when the call was issued (for snapshots of pending calls). */
    final long issuedNanos = System.nanoTime();

    /** Whether its deadline passed while the server had it: its outcome is DEADLINE_EXCEEDED, whatever the server answers (loop). */
    boolean expired;

    /** The deadline timer (loop). */
    java.util.concurrent.ScheduledFuture<?> timer;

    /**
     * The attempt that currently carries this call when a balanced binding sends it (one
     * connection per attempt); cancelling this call cancels that attempt. {@code null} otherwise.
     */
    volatile CallFuture<?> attempt;

    /** Whether the caller asked to cancel (either mode): a balanced binding then sends the call no more. */
    volatile boolean cancelRequested;

    /** The runtime that counts and observes this call; {@code null} for an attempt (its call is counted). */
    private final ClientRuntime runtime;
    private final Object observation;

    /** Listeners of the client interceptors, or {@code null}; set before the call is sent. */
    java.util.List<dev.asyncrpc.CallListener> listeners;

    CallFuture(ClientMethod method, ByteBuf request, ClientRuntime runtime, Object observation) {
        this.method = method;
        this.request = request;
        this.runtime = runtime;
        this.observation = observation;
        this.deadlineNanos = (method.timeoutNanos != 0) ? this.issuedNanos + method.timeoutNanos : 0;
        runtime.pending.increment();
    }

    /**
     * An attempt of a call sent by a balanced binding: same method, a copy of its request, the
     * call's deadline. Neither counted nor observed: the call it carries is.
     */
    CallFuture(ClientMethod method, ByteBuf request, long deadlineNanos) {
        this.method = method;
        this.request = request;
        this.runtime = null;
        this.observation = null;
        this.deadlineNanos = deadlineNanos;
    }

    private static final java.util.concurrent.atomic.AtomicIntegerFieldUpdater<CallFuture> ENDED =
            java.util.concurrent.atomic.AtomicIntegerFieldUpdater.newUpdater(CallFuture.class, "endedFlag");

    private volatile int endedFlag;

    /**
     * Whether a reply may complete this call on the event loop that read it: set for a plain
     * (blocking) caller whose call runs no user code when it completes (no interceptor listeners,
     * no pipes), so that the waiting thread is woken without an executor hop. Set before sending.
     */
    boolean completeOnLoop;

    /*
     * The count and the observer are updated before the future completes, so that whoever sees the
     * outcome also sees the metrics that include it.
     *
     * The future is read-only for callers: complete, completeExceptionally, obtrude* and
     * completeOnTimeout throw, since only the server's answer (or the call's own deadline, cancel
     * or connection failure) decides the outcome. The runtime completes it through succeed/failWith.
     */

    private static final String READ_ONLY = "the outcome of a remote call comes from its server: this future cannot be completed by the caller"
            + " (cancel(...) it, or use orTimeout(...) or the call's deadline)";

    /** @throws UnsupportedOperationException always: the caller cannot fake the outcome of a remote call */
    @Override
    public boolean complete(T value) {
        throw new UnsupportedOperationException(READ_ONLY);
    }

    /** @throws UnsupportedOperationException always: the caller cannot fake the outcome of a remote call */
    @Override
    public boolean completeExceptionally(Throwable ex) {
        throw new UnsupportedOperationException(READ_ONLY);
    }

    /** @throws UnsupportedOperationException always */
    @Override
    public void obtrudeValue(T value) {
        throw new UnsupportedOperationException(READ_ONLY);
    }

    /** @throws UnsupportedOperationException always */
    @Override
    public void obtrudeException(Throwable ex) {
        throw new UnsupportedOperationException(READ_ONLY);
    }

    /** @throws UnsupportedOperationException always */
    @Override
    public CompletableFuture<T> completeOnTimeout(T value, long timeout, java.util.concurrent.TimeUnit unit) {
        throw new UnsupportedOperationException(READ_ONLY);
    }

    /** @throws UnsupportedOperationException always */
    @Override
    public CompletableFuture<T> completeAsync(java.util.function.Supplier<? extends T> supplier, java.util.concurrent.Executor executor) {
        throw new UnsupportedOperationException(READ_ONLY);
    }

    /**
     * Fail with a {@link java.util.concurrent.TimeoutException} if the call has not completed
     * within {@code timeout}, and cancel it abortively (the server is told).
     */
    @Override
    public CompletableFuture<T> orTimeout(long timeout, java.util.concurrent.TimeUnit unit) {
        if (!isDone()) {
            CompletableFuture.delayedExecutor(timeout, unit).execute(() -> {
                if (!isDone() && failWith(new java.util.concurrent.TimeoutException("no outcome of " + this.method.model.signature()
                        + " within " + unit.toMillis(timeout) + " ms (orTimeout); the call was cancelled"))) {
                    tellCancel(CancelMode.ABORTIVE);
                }
            });
        }
        return this;
    }

    /** Complete with the server's value (runtime only). */
    boolean succeed(T value) {
        if (!ENDED.compareAndSet(this, 0, 1)) {
            return false;
        }
        ended(null, null);
        return super.complete(value);
    }

    /** Complete with a failure (runtime only). */
    boolean failWith(Throwable ex) {
        if (!ENDED.compareAndSet(this, 0, 1)) {
            return false;
        }
        if (ex instanceof RemoteCallException rce) {
            ended(rce.status(), rce.description());
        }
        else if (ex instanceof java.util.concurrent.TimeoutException) {
            ended(Status.DEADLINE_EXCEEDED, ex.getMessage());
        }
        else {
            ended(Status.INTERNAL, String.valueOf(ex));
        }
        return super.completeExceptionally(ex);
    }

    /** The call ended with {@code status} ({@code null}: a value). Runs once, before the future completes. */
    private void ended(Status status, String message) {
        if (this.runtime == null) {
            return;
        }
        if (this.listeners != null) {
            ClientInterceptors.completed(this.listeners, status, message);
        }
        this.runtime.pending.decrement();
        dev.asyncrpc.CallObserver observer = this.runtime.observer;
        if (observer != dev.asyncrpc.CallObserver.NONE) {
            try {
                observer.onEnd(this.method.info, this.observation, status);
            }
            catch (RuntimeException ex) {
                System.getLogger(CallFuture.class.getName()).log(System.Logger.Level.WARNING, "CallObserver.onEnd failed", ex);
            }
        }
    }

    /** Take the request frame; ownership passes to the caller (loop). */
    ByteBuf takeRequest() {
        ByteBuf r = this.request;
        this.request = null;
        return r;
    }

    /** Release the request frame if it was never written (loop, or the thread discarding the queue). */
    void releaseRequest() {
        ByteBuf r = takeRequest();
        if (r != null) {
            r.release();
        }
    }

    boolean fail(Status status, String message) {
        return failWith(new RemoteCallException(status, message));
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        return cancelCall(CancelMode.ABORTIVE);
    }

    boolean cancelCall(CancelMode mode) {
        if (isDone()) {
            return false;
        }
        this.cancelRequested = true;
        dev.asyncrpc.CallObserver observer = (this.runtime != null) ? this.runtime.observer : dev.asyncrpc.CallObserver.NONE;
        if (observer != dev.asyncrpc.CallObserver.NONE) {
            try {
                observer.onCancel(this.method.info, mode);
            }
            catch (RuntimeException ex) {
                System.getLogger(CallFuture.class.getName()).log(System.Logger.Level.WARNING, "CallObserver.onCancel failed", ex);
            }
        }
        if (mode == CancelMode.ABORTIVE) {
            if (!ENDED.compareAndSet(this, 0, 1)) {
                return false;
            }
            ended(Status.CANCELLED, "cancelled by the caller");
            super.cancel(false);
        }
        tellCancel(mode);
        return true;
    }

    /** Tell the connection (or the attempt) carrying this call to cancel it. */
    private void tellCancel(CancelMode mode) {
        this.cancelRequested = true;
        CallFuture<?> a = this.attempt;
        if (a != null) {
            a.cancelCall(mode);
            return;
        }
        ClientConnection c = this.connection;
        if (c != null) {
            c.cancel(this, mode);
        }
    }

    CallState state() {
        if (!isDone()) {
            return CallState.PENDING;
        }
        if (isCancelled()) {
            return CallState.CANCELLED;
        }
        if (isCompletedExceptionally()) {
            Throwable t = exceptionNow();
            return (t instanceof RemoteCallException rce && rce.status() == Status.CANCELLED) ? CallState.CANCELLED : CallState.FAILED;
        }
        return CallState.COMPLETE;
    }

    /** The failure of a completed-exceptionally future, as {@link RemoteCallException}. */
    private Throwable exceptionNow() {
        try {
            join();
            return null;
        }
        catch (CancellationException ex) {
            return new RemoteCallException(Status.CANCELLED, "cancelled by the caller");
        }
        catch (java.util.concurrent.CompletionException ex) {
            return ex.getCause();
        }
    }

    /** The outcome as a plain value or a {@link RemoteCallException}. Only when done. */
    @SuppressWarnings("unchecked")
    T outcome() {
        Throwable t = isCompletedExceptionally() ? exceptionNow() : null;
        if (t == null) {
            return getNow(null);
        }
        if (t instanceof RemoteCallException rce) {
            throw rce;
        }
        throw new RemoteCallException(Status.INTERNAL, String.valueOf(t.getMessage()), java.util.Map.of(), t);
    }
}
