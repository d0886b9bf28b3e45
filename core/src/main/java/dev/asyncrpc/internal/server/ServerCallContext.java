package dev.asyncrpc.internal.server;

import java.lang.reflect.InvocationTargetException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

import dev.asyncrpc.AsyncReply;
import dev.asyncrpc.RemoteCallException;
import dev.asyncrpc.Status;
import dev.asyncrpc.internal.pipe.CallPipes;
import dev.asyncrpc.internal.protocol.Frames;
import io.netty.buffer.ByteBuf;

/**
 * One call on the server: decodes its arguments ({@link ArgumentDecoder}) and invokes the implementation (via {@link #run()},
 * on a worker, or on the event loop for inline or direct dispatch: see {@link InlineGate}), and
 * sends exactly one reply (REPLY or ERROR, encoded by {@link ReplyFrames}) from whichever thread completes it.
 * It is also the {@link AsyncReply} and (through {@link CallView}) the {@link dev.asyncrpc.ServerCall} handed to implementations.
 *
 * <p>Its lifecycle is {@link CallLifecycle}'s, under this object's monitor: the reply is sent by the
 * thread whose {@link #decide()} returned {@code true}, once; cancel and disconnect actions run at most
 * once each and never after the reply was decided, and a completion on another thread waits until the
 * actions running then have returned.
 */
final class ServerCallContext extends CallView implements WorkerTask, AsyncReply<Object> {

    private static final AtomicReferenceFieldUpdater<ServerCallContext, ByteBuf> ARGS =
            AtomicReferenceFieldUpdater.newUpdater(ServerCallContext.class, ByteBuf.class, "args");

    final int id;
    final int orderingKey;

    /** The arguments section of the CALL payload; owned until decoded or discarded. */
    private volatile ByteBuf args;

    /** Whether the call runs on the event loop that read it (inline dispatch); set on the loop before it runs. */
    boolean inline;

    /** Bytes of the server's memory budget the arguments hold until they are decoded or discarded. */
    int argumentCharge;

    /** The encoded reply frame, set once; the connection writes it on the loop. */
    ByteBuf response;

    /** The implementer's pipe ends, or {@code null}; set on the loop before the call runs. */
    CallPipes pipes;

    /** Deadline timer on the event loop (loop). */
    ScheduledFuture<?> deadlineTimer;

    /**
     * For a plain call with an ordering key: releases the key's next call once this one has entered
     * its implementation method (or ends without entering it); {@code null} otherwise.
     */
    EntryWatch entry;

    /** Set when the deadline passed on the server, before the cancel actions run: it decides the failure. */
    private volatile boolean deadlineHasPassed;

    ServerCallContext(int id, ServerMethod method, ServerConnection connection, ByteBuf args, int orderingKey,
            long timeoutMillis, Map<String, String> metadata) {
        super(method, connection, timeoutMillis, metadata);
        this.id = id;
        this.args = args;
        this.orderingKey = orderingKey;
    }

    @Override
    public void run() {
        ByteBuf in = takeArgs();
        if (in == null) {
            started(); // discarded: the connection closed before the call ran
            return;
        }
        ServerRuntime runtime = this.connection.runtime();
        if (runtime.observer != dev.asyncrpc.CallObserver.NONE) {
            runtime.observe(o -> observed(o.onStart(this.method.info, metadata())));
        }
        Interception intercepted = runtime.interceptors().begin(this);
        long interceptNanos = 0; // counted with the method's time by the inline gate: interceptors may run inline too
        if (intercepted != null) {
            long begun = (this.method.inline != null) ? System.nanoTime() : 0;
            if (!intercept(intercepted, in)) {
                return;
            }
            if (this.method.inline != null) {
                interceptNanos = System.nanoTime() - begun;
            }
        }
        Object[] values;
        try {
            values = ArgumentDecoder.decode(this.method, in, this, this.pipes);
        }
        catch (RemoteCallException ex) {
            started();
            fail(ex.status(), ex.description());
            if (intercepted != null) {
                intercepted.endDispatch();
            }
            return;
        }
        CurrentCall.set(this);
        try {
            EntryWatch watch = this.entry;
            InlineGate gate = this.method.inline;
            Object result;
            if (gate != null) {
                long start = System.nanoTime();
                try {
                    result = this.method.invoker.invoke(this.method.target, values);
                }
                finally {
                    gate.invoked(System.nanoTime() - start + interceptNanos, this.inline);
                }
            }
            else if (watch == null) {
                result = this.method.invoker.invoke(this.method.target, values);
            }
            else {
                watch.invoking(); // the key's next call goes once this one is provably inside the method
                try {
                    result = this.method.invoker.invoke(this.method.target, values);
                }
                finally {
                    watch.release();
                }
            }
            switch (this.method.model.returnKind()) {
                case VALUE -> {
                    WorkerPool.finishing(); // only the reply is left: the next waiting call may take this worker
                    reply(result);
                }
                case COMPLETABLE_FUTURE, COMPLETION_STAGE -> completeWith(result);
                // the elements stream out through the implicit out-pipe; the call ends with the flux
                case FLUX -> completeWith(this.pipes.streamFrom(result));
                default -> { } // REPLY_HANDLE: the implementation completes this context
            }
        }
        catch (InvocationTargetException ex) {
            failWith(ex.getCause());
        }
        catch (IllegalArgumentException ex) {
            fail(Status.INVALID_ARGUMENT, "arguments do not fit " + this.method.model.signature() + ": " + ex.getMessage());
        }
        catch (ClassCastException | NullPointerException ex) {
            fail(Status.INVALID_ARGUMENT, "arguments do not fit " + this.method.model.signature() + ": " + ex);
        }
        catch (Throwable ex) {
            failWith(ex);
        }
        finally {
            CurrentCall.clear();
            if (intercepted != null) {
                intercepted.endDispatch();
            }
        }
    }

    /**
     * Pass the call through its interceptors (this thread). On a refusal: release the arguments,
     * answer the call, close what the interceptors opened.
     * @return whether the call may go on to its implementation
     */
    private boolean intercept(Interception intercepted, ByteBuf in) {
        this.interception = intercepted;
        try {
            intercepted.run();
            return true;
        }
        catch (Throwable ex) {
            in.release();
            started();
            failWith(ex);
            intercepted.endDispatch();
            return false;
        }
    }

    /**
     * Run a callback of this call (pipe callbacks, subscribers, send completions) with the call's
     * contexts current; an exception it throws fails the call, mapped like an implementation's.
     */
    void runCallback(Runnable task) {
        Interception intercepted = this.interception;
        try (dev.asyncrpc.CallContext.Scope scope = (intercepted != null) ? intercepted.open() : dev.asyncrpc.CallContext.Scope.NOOP) {
            task.run();
        }
        catch (Throwable ex) {
            if (!failWith(ex)) {
                System.getLogger(ServerCallContext.class.getName()).log(System.Logger.Level.WARNING,
                        "a callback of " + this.method.model.fullName() + " failed after the call ended", ex);
            }
        }
    }

    /** This call will not enter its method (or has ended): the key's next call may go. */
    private void started() {
        EntryWatch watch = this.entry;
        if (watch != null) {
            watch.release();
        }
    }

    private void completeWith(Object result) {
        if (result == null) {
            fail(Status.APPLICATION_ERROR, this.method.model.signature() + " returned null instead of a future");
            return;
        }
        if (result instanceof CompletableFuture<?> future) {
            if (future.isDone() && !future.isCompletedExceptionally()) {
                reply(future.getNow(null)); // completed already (common for fast implementations): no callback to attach
                return;
            }
            returned(future);
        }
        ((CompletionStage<?>) result).whenComplete((v, t) -> {
            if (t == null) {
                reply(v);
            }
            else {
                failWith(t);
            }
        });
    }

    /** Take the arguments (once); their charge on the memory budget ends here, their buffer is the taker's. */
    private ByteBuf takeArgs() {
        ByteBuf in = ARGS.getAndSet(this, null);
        if (in != null) {
            this.connection.runtime().memory().release(this.argumentCharge);
        }
        return in;
    }

    /** The worker executor refused this call, which never ran: it fails with {@code status} (loop or any thread). */
    @Override
    public void rejected(Status status, String message) {
        discard();
        fail(status, message);
    }

    /** Release what the call still owns if it is never run (executor rejected it, connection closed). */
    void discard() {
        ByteBuf in = takeArgs();
        if (in != null) {
            in.release();
        }
    }

    // ---- cancel, deadline, disconnect (called on a worker, never on the event loop) ----

    /**
     * The deadline passed: the call is cancelled (its cancel actions run) and fails with
     * DEADLINE_EXCEEDED. A failure the implementation gives in answer to that cancel (such as
     * {@code reply.abort(CANCELLED, ...)} in an {@code onCancel} action) is reported as
     * DEADLINE_EXCEEDED too: the deadline decided the outcome first.
     */
    void deadlinePassed() {
        this.deadlineHasPassed = true;
        cancelled(true);
        fail(Status.DEADLINE_EXCEEDED, ReplyFrames.deadlineMessage(this.method));
    }

    // ---- AsyncReply ----

    @Override
    public void complete(Object value) {
        String pipeError = (this.pipes != null) ? this.pipes.disciplineError() : null;
        if (pipeError != null) {
            if (!fail(Status.PIPE_ERROR, pipeError)) {
                throw new IllegalStateException("the reply of " + this.method.model.signature() + " was already sent");
            }
            throw new RemoteCallException(Status.PIPE_ERROR, pipeError);
        }
        if (!reply(value)) {
            throw new IllegalStateException("the reply of " + this.method.model.signature() + " was already sent");
        }
    }

    @Override
    public void abort(Status status, String message) {
        if (!fail(status, message)) {
            throw new IllegalStateException("the reply of " + this.method.model.signature() + " was already sent");
        }
    }

    // ---- replies ----

    /** Decide the call (once): tell its observer and its interceptors how it ended; {@code false} if it had ended. */
    private boolean markDone(Status status, String message) {
        if (!decide()) {
            return false;
        }
        if (wasObserved()) {
            Object obs = observation();
            this.connection.runtime().observe(o -> o.onEnd(this.method.info, obs, status));
        }
        Interception intercepted = this.interception;
        if (intercepted != null) {
            intercepted.completed(status, message);
        }
        return true;
    }

    boolean reply(Object value) {
        String pipeError = (this.pipes != null) ? this.pipes.disciplineError() : null;
        if (pipeError != null) {
            return fail(Status.PIPE_ERROR, pipeError);
        }
        if (!markDone(null, null)) {
            return false;
        }
        send(ReplyFrames.value(this.connection.alloc(), this.method, this.id, value));
        return true;
    }

    boolean fail(Status status, String message) {
        boolean late = this.deadlineHasPassed;
        message = ReplyFrames.failureMessage(this.method, late, status, message);
        status = ReplyFrames.failureStatus(late, status);
        if (!markDone(status, message)) {
            return false;
        }
        send(Frames.error(this.connection.alloc(), this.id, status, message));
        return true;
    }

    /** Fail the call with what {@code t} maps to ({@link ExceptionMapping}); {@code false} if it had ended. */
    private boolean failWith(Throwable t) {
        RemoteCallException failure = this.connection.runtime().exceptionMapping().map(this, t);
        return fail(failure.status(), failure.description());
    }

    private void send(ByteBuf frame) {
        this.response = frame;
        this.connection.reply(this);
    }
}
