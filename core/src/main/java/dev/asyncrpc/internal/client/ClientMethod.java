package dev.asyncrpc.internal.client;

import dev.asyncrpc.RemoteCallException;
import dev.asyncrpc.Status;
import dev.asyncrpc.internal.codec.CodecException;
import dev.asyncrpc.internal.codec.Codecs;
import dev.asyncrpc.internal.codec.ValueCodec;
import dev.asyncrpc.internal.contract.OperationModel;
import dev.asyncrpc.internal.pipe.PipePlan;
import dev.asyncrpc.internal.protocol.FrameType;
import dev.asyncrpc.internal.protocol.Frames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/** One operation as a caller encodes it: the CALL frame writer and the reply decoder. */
final class ClientMethod {

    final OperationModel model;
    private final byte[] name;
    private final ValueCodec[] argCodecs;
    private final ValueCodec valueCodec;
    /** The operation's pipes, or {@code null} if it has none. */
    final PipePlan pipes;
    private int sizeHint = 64;

    ClientMethod(OperationModel model, Codecs codecs) {
        this.model = model;
        this.name = model.fullNameUtf8();
        this.argCodecs = new ValueCodec[model.wireParameterTypes().length];
        for (int i = 0; i < this.argCodecs.length; i++) {
            this.argCodecs[i] = codecs.forType(model.wireParameterTypes()[i]);
        }
        this.valueCodec = model.isVoid() ? null : codecs.forType(model.valueType());
        this.pipes = PipePlan.of(model, codecs);
    }

    /**
     * Encode a CALL frame with call id 0 (set when the frame is sent).
     * @return a new buffer owned by the caller
     * @throws RemoteCallException with {@link Status#INVALID_ARGUMENT} if an argument cannot be encoded
     */
    ByteBuf encodeCall(ByteBufAllocator alloc, Object[] args) {
        ByteBuf buf = Frames.start(alloc, FrameType.CALL, 0, 0, this.sizeHint);
        try {
            buf.writeShort(this.name.length).writeBytes(this.name);
            int[] idx = this.model.wireParameterIndexes();
            buf.writeByte(idx.length);
            for (int i = 0; i < idx.length; i++) {
                Object arg = args[idx[i]];
                if (arg == null) {
                    buf.writeInt(Frames.NULL_LENGTH);
                    continue;
                }
                int at = buf.writerIndex();
                buf.writeInt(0);
                try {
                    this.argCodecs[i].encode(arg, buf);
                }
                catch (CodecException | ClassCastException ex) {
                    throw new RemoteCallException(Status.INVALID_ARGUMENT, "argument " + (idx[i] + 1) + " of "
                            + this.model.signature() + ": " + ex.getMessage(), java.util.Map.of(), ex);
                }
                buf.setInt(at, buf.writerIndex() - at - 4);
            }
            Frames.finish(buf);
            this.sizeHint = buf.readableBytes();
            return buf;
        }
        catch (RuntimeException ex) {
            buf.release();
            throw ex;
        }
    }

    /** Decode a REPLY payload. Does not take ownership of {@code payload}. */
    Object decodeValue(int flags, ByteBuf payload) {
        if ((flags & Frames.REPLY_NULL) != 0 || this.valueCodec == null) {
            return null;
        }
        return this.valueCodec.decode(payload);
    }
}
