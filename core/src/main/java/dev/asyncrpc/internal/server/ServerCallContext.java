package dev.asyncrpc.internal.server;

import java.lang.reflect.InvocationTargetException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

import dev.asyncrpc.AsyncReply;
import dev.asyncrpc.RemoteCallException;
import dev.asyncrpc.Status;
import dev.asyncrpc.internal.codec.CodecException;
import dev.asyncrpc.internal.pipe.CallPipes;
import dev.asyncrpc.internal.protocol.FrameType;
import dev.asyncrpc.internal.protocol.Frames;
import io.netty.buffer.ByteBuf;

/**
 * One call on the server: decodes its arguments and invokes the implementation (on a worker, via
 * {@link #run()}), and sends exactly one reply (REPLY or ERROR) from whichever thread completes it.
 * Also the {@link AsyncReply} handed to implementations that take one.
 */
final class ServerCallContext implements Runnable, AsyncReply<Object> {

    private static final AtomicIntegerFieldUpdater<ServerCallContext> DONE =
            AtomicIntegerFieldUpdater.newUpdater(ServerCallContext.class, "done");

    private static final AtomicReferenceFieldUpdater<ServerCallContext, ByteBuf> ARGS =
            AtomicReferenceFieldUpdater.newUpdater(ServerCallContext.class, ByteBuf.class, "args");

    final int id;
    final ServerMethod method;
    final ServerConnection connection;

    /** The arguments section of the CALL payload; owned until decoded or discarded. */
    private volatile ByteBuf args;

    /** The encoded reply frame, set once; the connection writes it on the loop. */
    ByteBuf response;

    /** The implementer's pipe ends, or {@code null}; set on the loop before the call runs. */
    CallPipes pipes;

    private volatile int done;

    ServerCallContext(int id, ServerMethod method, ServerConnection connection, ByteBuf args) {
        this.id = id;
        this.method = method;
        this.connection = connection;
        this.args = args;
    }

    @Override
    public void run() {
        ByteBuf in = ARGS.getAndSet(this, null);
        if (in == null) {
            return; // discarded: the connection closed before the call ran
        }
        Object[] values;
        try {
            values = decodeArguments(in);
        }
        catch (RemoteCallException ex) {
            fail(ex.status(), ex.description());
            return;
        }
        try {
            Object result = this.method.method.invoke(this.method.target, values);
            switch (this.method.model.returnKind()) {
                case VALUE -> reply(result);
                case COMPLETABLE_FUTURE, COMPLETION_STAGE -> {
                    if (result == null) {
                        fail(Status.APPLICATION_ERROR, this.method.model.signature() + " returned null instead of a future");
                    }
                    else {
                        ((CompletionStage<?>) result).whenComplete((v, t) -> {
                            if (t == null) {
                                reply(v);
                            }
                            else {
                                failWith(t);
                            }
                        });
                    }
                }
                default -> { } // REPLY_HANDLE: the implementation completes this context
            }
        }
        catch (InvocationTargetException ex) {
            failWith(ex.getCause());
        }
        catch (IllegalArgumentException ex) {
            fail(Status.INVALID_ARGUMENT, "arguments do not fit " + this.method.model.signature() + ": " + ex.getMessage());
        }
        catch (IllegalAccessException | RuntimeException ex) {
            fail(Status.INTERNAL, "cannot invoke " + this.method.model.signature());
        }
    }

    private Object[] decodeArguments(ByteBuf in) {
        try {
            Object[] values = new Object[this.method.parameterCount];
            int[] idx = this.method.model.wireParameterIndexes();
            int count = in.readUnsignedByte();
            if (count != idx.length) {
                throw new RemoteCallException(Status.INVALID_ARGUMENT, this.method.model.fullName() + " takes " + idx.length
                        + " arguments but the call carries " + count);
            }
            for (int i = 0; i < idx.length; i++) {
                int len = in.readInt();
                if (len == Frames.NULL_LENGTH) {
                    continue;
                }
                if (len < 0 || len > in.readableBytes()) {
                    throw new RemoteCallException(Status.INVALID_ARGUMENT, "argument " + (idx[i] + 1) + " of "
                            + this.method.model.fullName() + " has a bad length " + len);
                }
                ByteBuf slice = in.readSlice(len);
                try {
                    values[idx[i]] = this.method.argCodecs[i].decode(slice);
                }
                catch (CodecException ex) {
                    throw new RemoteCallException(Status.INVALID_ARGUMENT, "argument " + (idx[i] + 1) + " of "
                            + this.method.model.fullName() + ": " + ex.getMessage());
                }
            }
            if (this.method.model.replyParameterIndex() >= 0) {
                values[this.method.model.replyParameterIndex()] = this;
            }
            if (this.pipes != null) {
                this.pipes.fill(values);
            }
            return values;
        }
        catch (IndexOutOfBoundsException ex) {
            throw new RemoteCallException(Status.INVALID_ARGUMENT, "the arguments of " + this.method.model.fullName() + " are truncated");
        }
        finally {
            in.release();
        }
    }

    /** Release what the call still owns if it is never run (executor rejected it, connection closed). */
    void discard() {
        ByteBuf in = ARGS.getAndSet(this, null);
        if (in != null) {
            in.release();
        }
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

    @Override
    public boolean isDone() {
        return this.done != 0;
    }

    // ---- replies ----

    boolean reply(Object value) {
        String pipeError = (this.pipes != null) ? this.pipes.disciplineError() : null;
        if (pipeError != null) {
            return fail(Status.PIPE_ERROR, pipeError);
        }
        if (!DONE.compareAndSet(this, 0, 1)) {
            return false;
        }
        ByteBuf frame = Frames.start(this.connection.alloc(), FrameType.REPLY, value == null ? Frames.REPLY_NULL : 0, this.id, 64);
        if (value != null && this.method.valueCodec != null) {
            try {
                this.method.valueCodec.encode(value, frame);
            }
            catch (CodecException | ClassCastException ex) {
                frame.release();
                send(Frames.error(this.connection.alloc(), this.id, Status.INTERNAL, "cannot encode the value of "
                        + this.method.model.fullName() + ": " + ex.getMessage()));
                return true;
            }
        }
        else if (value != null) {
            frame.setByte(frame.readerIndex() + 5, Frames.REPLY_NULL); // a void operation's value is not sent
        }
        send(Frames.finish(frame));
        return true;
    }

    boolean fail(Status status, String message) {
        if (!DONE.compareAndSet(this, 0, 1)) {
            return false;
        }
        send(Frames.error(this.connection.alloc(), this.id, status, message));
        return true;
    }

    private void failWith(Throwable t) {
        Throwable cause = t;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof RemoteCallException rce) {
            fail(rce.status(), rce.description());
        }
        else {
            String message = cause.getMessage();
            fail(Status.APPLICATION_ERROR, (message != null) ? message : cause.getClass().getSimpleName());
        }
    }

    private void send(ByteBuf frame) {
        this.response = frame;
        this.connection.reply(this);
    }
}
