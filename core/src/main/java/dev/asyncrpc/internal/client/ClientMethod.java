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
    private final int flags;
    /** Nanoseconds the call may take, 0 for no deadline. */
    final long timeoutNanos;
    private final java.util.Map<String, String> metadata;
    final dev.asyncrpc.CallObserver.CallInfo info;
    private final int maxMetadataSize;
    /** Encodes metadata, reusing the bytes of entries sent unchanged (a bearer token). */
    private final dev.asyncrpc.internal.protocol.MetadataWriter metadataWriter = new dev.asyncrpc.internal.protocol.MetadataWriter();
    private final ValueCodec[] argCodecs;
    private final ValueCodec valueCodec;
    /** The operation's pipes, or {@code null} if it has none. */
    final PipePlan pipes;
    private int sizeHint = 64;

    ClientMethod(OperationModel model, Codecs codecs, dev.asyncrpc.CallOptions options, ClientDefaults defaults) {
        this.model = model;
        this.name = model.fullNameUtf8();
        java.time.Duration timeout = (model.timeout() != null) ? model.timeout()
                : (options.timeout() != null) ? options.timeout() : defaults.timeout();
        this.timeoutNanos = (timeout != null) ? Math.max(1, timeout.toNanos()) : 0;
        dev.asyncrpc.Ordering ordering = (model.ordering() != dev.asyncrpc.Ordering.DEFAULT) ? model.ordering()
                : (options.ordering() != dev.asyncrpc.Ordering.DEFAULT) ? options.ordering() : defaults.ordering();
        this.metadata = options.metadata();
        this.info = new dev.asyncrpc.CallObserver.CallInfo(dev.asyncrpc.CallObserver.CallInfo.Side.CLIENT, model.service(), model.name(),
                model.returnKind().isAsync());
        this.maxMetadataSize = defaults.maxMetadataSize();
        this.flags = (this.timeoutNanos != 0 ? Frames.CALL_DEADLINE : 0)
                | (ordering != dev.asyncrpc.Ordering.NONCAUSAL ? Frames.CALL_CAUSAL : 0)
                | (this.metadata.isEmpty() ? 0 : Frames.CALL_METADATA);
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
        return encodeCall(alloc, args, this.metadata);
    }

    /** The proxy's metadata, for an observer to add to. */
    java.util.Map<String, String> metadata() {
        return this.metadata;
    }

    /**
     * Encode a CALL frame carrying {@code metadata} (per call, for example trace context).
     * @return a new buffer owned by the caller
     */
    ByteBuf encodeCall(ByteBufAllocator alloc, Object[] args, java.util.Map<String, String> metadata) {
        int callFlags = metadata.isEmpty() ? (this.flags & ~Frames.CALL_METADATA) : (this.flags | Frames.CALL_METADATA);
        ByteBuf buf = Frames.startSized(alloc, FrameType.CALL, callFlags, 0, this.sizeHint);
        try {
            buf.writeShort(this.name.length).writeBytes(this.name);
            if ((this.flags & Frames.CALL_DEADLINE) != 0) {
                buf.writeInt(0); // the time left, set when the frame is sent (see timeoutOffset)
            }
            if ((this.flags & Frames.CALL_CAUSAL) != 0) {
                buf.writeInt(orderingKey());
            }
            if ((callFlags & Frames.CALL_METADATA) != 0) {
                try {
                    this.metadataWriter.write(buf, metadata, this.maxMetadataSize);
                }
                catch (IllegalArgumentException ex) {
                    throw new RemoteCallException(Status.INVALID_ARGUMENT, this.model.signature() + ": " + ex.getMessage());
                }
            }
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
            this.sizeHint = buf.readableBytes() - Frames.HEADER;
            return buf;
        }
        catch (RuntimeException ex) {
            buf.release();
            throw ex;
        }
    }

    /** Whether calls of this operation are dispatched in causal order (they carry an ordering key). */
    boolean isCausal() {
        return (this.flags & Frames.CALL_CAUSAL) != 0;
    }

    /** Where the u32 timeout sits in the CALL frame, relative to its reader index. */
    int timeoutOffset() {
        return Frames.HEADER + 2 + this.name.length;
    }

    /** The issuing thread's ordering key: non-zero, stable for the thread. */
    private static int orderingKey() {
        long id = Thread.currentThread().getId();
        int key = (int) (id ^ (id >>> 32));
        return (key != 0) ? key : 1;
    }

    /** Decode a REPLY payload. Does not take ownership of {@code payload}. */
    Object decodeValue(int flags, ByteBuf payload) {
        if ((flags & Frames.REPLY_NULL) != 0 || this.valueCodec == null) {
            return null;
        }
        return this.valueCodec.decode(payload);
    }
}
