package dev.asyncrpc.internal.server;

import dev.asyncrpc.RemoteCallException;
import dev.asyncrpc.Status;
import dev.asyncrpc.internal.codec.CodecException;
import dev.asyncrpc.internal.pipe.CallPipes;
import dev.asyncrpc.internal.protocol.Frames;
import io.netty.buffer.ByteBuf;

/**
 * Decodes the arguments section of a CALL payload into the implementation method's argument
 * array (stateless). Besides the wire arguments it fills in the call's own parameters: the
 * {@code AsyncReply} and the {@code ServerCall} (both the call itself) and the pipe ends.
 */
final class ArgumentDecoder {

    private ArgumentDecoder() {
    }

    /**
     * Decode {@code in} (which this always releases) into the arguments of {@code method}.
     * @param call what an {@code AsyncReply} or {@code ServerCall} parameter receives
     * @param pipes the implementer's pipe ends, or {@code null}
     * @throws RemoteCallException INVALID_ARGUMENT if the arguments are malformed or do not decode
     */
    static Object[] decode(ServerMethod method, ByteBuf in, Object call, CallPipes pipes) {
        try {
            Object[] values = new Object[method.parameterCount];
            int[] idx = method.model.wireParameterIndexes();
            int count = in.readUnsignedByte();
            if (count != idx.length) {
                throw new RemoteCallException(Status.INVALID_ARGUMENT, method.model.fullName() + " takes " + idx.length
                        + " arguments but the call carries " + count);
            }
            for (int i = 0; i < idx.length; i++) {
                int len = in.readInt();
                if (len == Frames.NULL_LENGTH) {
                    continue;
                }
                if (len < 0 || len > in.readableBytes()) {
                    throw new RemoteCallException(Status.INVALID_ARGUMENT, "argument " + (idx[i] + 1) + " of "
                            + method.model.fullName() + " has a bad length " + len);
                }
                // the codec reads the argument's bytes from the arguments buffer itself, limited to
                // them for the time of the decoding (a slice would be one more object per argument)
                int start = in.readerIndex();
                int end = in.writerIndex();
                in.writerIndex(start + len);
                try {
                    values[idx[i]] = method.argCodecs[i].decode(in);
                }
                catch (CodecException ex) {
                    throw new RemoteCallException(Status.INVALID_ARGUMENT, "argument " + (idx[i] + 1) + " of "
                            + method.model.fullName() + ": " + ex.getMessage());
                }
                finally {
                    in.writerIndex(end);
                    in.readerIndex(start + len);
                }
            }
            if (method.model.replyParameterIndex() >= 0) {
                values[method.model.replyParameterIndex()] = call;
            }
            if (pipes != null) {
                pipes.fill(values);
            }
            if (method.model.serverCallParameterIndex() >= 0) {
                values[method.model.serverCallParameterIndex()] = call;
            }
            return values;
        }
        catch (IndexOutOfBoundsException ex) {
            throw new RemoteCallException(Status.INVALID_ARGUMENT, "the arguments of " + method.model.fullName() + " are truncated");
        }
        finally {
            in.release();
        }
    }
}
