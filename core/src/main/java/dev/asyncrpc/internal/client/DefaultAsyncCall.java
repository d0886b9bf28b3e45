package dev.asyncrpc.internal.client;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;

import dev.asyncrpc.AsyncCall;
import dev.asyncrpc.CallState;
import dev.asyncrpc.CancelMode;
import dev.asyncrpc.Completion;
import dev.asyncrpc.CompletionQueue;
import dev.asyncrpc.RemoteCallException;
import dev.asyncrpc.Status;

/** The {@link AsyncCall} handed to callers; a view of a {@link CallFuture}. */
final class DefaultAsyncCall<T> implements AsyncCall<T> {

    private final CallFuture<T> future;

    DefaultAsyncCall(CallFuture<T> future) {
        this.future = future;
    }

    @Override
    public CallState state() {
        return this.future.state();
    }

    @Override
    public T join() {
        try {
            this.future.get();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new RemoteCallException(Status.CANCELLED, "interrupted while waiting for " + this.future.method.model.signature(), java.util.Map.of(), ex);
        }
        catch (ExecutionException | java.util.concurrent.CancellationException ex) {
            // the outcome is read below
        }
        return this.future.outcome();
    }

    @Override
    public T join(Duration timeout) {
        try {
            this.future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new RemoteCallException(Status.CANCELLED, "interrupted while waiting for " + this.future.method.model.signature(), java.util.Map.of(), ex);
        }
        catch (TimeoutException ex) {
            throw new CompletionException("call " + this.future.method.model.signature() + " still pending after " + timeout, ex);
        }
        catch (ExecutionException | java.util.concurrent.CancellationException ex) {
            // the outcome is read below
        }
        return this.future.outcome();
    }

    @Override
    public CompletableFuture<T> toCompletableFuture() {
        return this.future;
    }

    @Override
    public boolean cancel(CancelMode mode) {
        return this.future.cancelCall(mode);
    }

    @Override
    public AsyncCall<T> whenDone(BiConsumer<? super T, ? super Throwable> callback, Executor executor) {
        this.future.whenCompleteAsync((v, t) -> {
            if (t == null) {
                callback.accept(v, null);
                return;
            }
            Throwable cause = (t instanceof CompletionException && t.getCause() != null) ? t.getCause() : t;
            if (cause instanceof java.util.concurrent.CancellationException) {
                cause = new RemoteCallException(Status.CANCELLED, "cancelled by the caller");
            }
            callback.accept(null, cause);
        }, executor);
        return this;
    }

    @Override
    public AsyncCall<T> notify(CompletionQueue queue, Object key, Object attachment) {
        this.future.whenComplete((v, t) -> queue.post(new Completion(key, attachment, this)));
        return this;
    }

    @Override
    public String toString() {
        return "AsyncCall[" + this.future.method.model.fullName() + ", " + state() + "]";
    }
}
