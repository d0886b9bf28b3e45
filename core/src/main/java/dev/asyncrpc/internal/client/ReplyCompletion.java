package dev.asyncrpc.internal.client;

import java.util.ArrayList;
import java.util.List;

import dev.asyncrpc.RemoteCallException;
import dev.asyncrpc.Status;
import dev.asyncrpc.internal.codec.CodecException;
import dev.asyncrpc.internal.protocol.Frame;
import dev.asyncrpc.internal.protocol.FrameType;
import dev.asyncrpc.internal.protocol.Frames;

/**
 * Turns the REPLY and ERROR frames of one read batch into the outcomes of their calls. A connection
 * collects (call, frame) pairs while it reads; at the end of the read, {@link #onLoop} completes on
 * the event loop the calls of plain callers that run no user code when they complete, and the rest
 * go to the completion executor as one task ({@link #complete(List)}). Stateless.
 */
final class ReplyCompletion {

    private ReplyCompletion() {
    }

    /** Complete calls from a batch of (call, frame) pairs; releases the frames. Executor thread. */
    @SuppressWarnings({ "unchecked", "rawtypes" })
    static void complete(List<Object> batch) {
        for (int i = 0; i < batch.size(); i += 2) {
            complete((CallFuture<?>) batch.get(i), (Frame) batch.get(i + 1));
        }
    }

    /**
     * Complete here (the event loop) the calls of plain callers that run no user code when they
     * complete ({@link CallFuture#completeOnLoop}): decoding the reply and waking the waiting thread
     * costs less than a hand-off to the executor, which would only wake it in turn.
     * @return the (call, frame) pairs left for the executor, or {@code null} if none
     */
    static List<Object> onLoop(List<Object> batch) {
        List<Object> later = null;
        for (int i = 0; i < batch.size(); i += 2) {
            CallFuture<?> call = (CallFuture<?>) batch.get(i);
            if (call.completeOnLoop) {
                complete(call, (Frame) batch.get(i + 1));
            }
            else if (later == null && i == 0 && noneOnLoop(batch)) {
                return batch;
            }
            else {
                if (later == null) {
                    later = new ArrayList<>(batch.size() - i);
                }
                later.add(call);
                later.add(batch.get(i + 1));
            }
        }
        return later;
    }

    private static boolean noneOnLoop(List<Object> batch) {
        for (int i = 0; i < batch.size(); i += 2) {
            if (((CallFuture<?>) batch.get(i)).completeOnLoop) {
                return false;
            }
        }
        return true;
    }

    /** Complete one call from its REPLY or ERROR frame; releases the frame. */
    @SuppressWarnings({ "unchecked", "rawtypes" })
    static void complete(CallFuture call, Frame frame) {
        try {
            if (frame.type() == FrameType.REPLY) {
                Object value;
                try {
                    value = call.method.decodeValue(frame.flags(), frame.payload());
                }
                catch (CodecException ex) {
                    call.failWith(new RemoteCallException(Status.INTERNAL, "cannot decode the reply of "
                            + call.method.model.signature() + ": " + ex.getMessage(), java.util.Map.of(), ex));
                    return;
                }
                call.succeed(value);
            }
            else {
                Frames.ErrorBody error = Frames.readError(frame.payload());
                call.failWith(new RemoteCallException(error.status(), error.message()));
            }
        }
        catch (RuntimeException ex) {
            call.failWith(new RemoteCallException(Status.INTERNAL, "cannot read the reply of "
                    + call.method.model.signature() + ": " + ex, java.util.Map.of(), ex));
        }
        finally {
            frame.release();
        }
    }
}
