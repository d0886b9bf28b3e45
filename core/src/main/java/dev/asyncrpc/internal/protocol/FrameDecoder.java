package dev.asyncrpc.internal.protocol;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

/**
 * Splits the byte stream into {@link Frame}s. Bounded: a length above {@code maxFrameSize} or below
 * the header size, or an unknown type code, raises {@link ProtocolException} before any payload is
 * buffered. Each frame's payload is a retained slice of the cumulation (no copy); the frame's
 * receiver owns (and releases) it. The reads of a large frame are joined without a copy
 * ({@link FrameCumulator}): its payload may then span several buffers.
 * <p>
 * After its first error the decoder is terminal: it discards everything that arrives afterwards and
 * never raises a second error, so at most one GOAWAY follows. It also tells the handlers after it
 * about the incomplete frame it holds ({@link #partialFrameLength()}, {@link #framesDecoded()}) so
 * that they can time it out and charge it to a memory budget.
 * <p>
 * With a turn quota, the decoder passes on at most {@code framesPerTurn} frames per read batch (a
 * turn of the event loop for this connection), so that a peer sending many small frames cannot keep
 * the event loop from its other connections, its accepts and its tasks. Complete frames beyond the
 * quota stay undecoded in the decoder's buffer and the decoder tells its {@link Backlog}, which
 * stops reading from the connection and, on a later turn of the event loop, has the decoder pass on
 * the next quota as a read batch of its own ({@code channelRead}s then {@code channelReadComplete}).
 * Once it holds no complete frame, the decoder tells the backlog, which reads again. The bytes held
 * are those of one read batch at most (or, when the peer closes, what the transport drains from the
 * socket). When the input closes, what is held is dropped without being decoded: the peer is gone,
 * and decoding a closed connection's backlog at once (tens of thousands of frames from a peer that
 * flooded and closed) would hold the event loop for as long as the quota was meant to prevent.
 * Event loop only.
 */
public final class FrameDecoder extends ByteToMessageDecoder {

    /** Where a decoder with a turn quota puts off the frames beyond it. Event loop. */
    public interface Backlog {

        /**
         * Frames are held for a later turn: pause reading from the connection, and run
         * {@code nextTurn} (which passes on the next quota) on a later turn of the event loop,
         * once nothing else keeps the connection from being read.
         */
        void holding(Runnable nextTurn);

        /** Nothing is held any more: reading may resume. */
        void released();
    }

    private final int maxFrameSize;
    private final int framesPerTurn;
    private final Backlog backlog;
    private ChannelHandlerContext ctx;
    private boolean failed;
    private long framesDecoded;
    private long partialFrameLength;
    /** Frames passed on in this turn. */
    private int turnFrames;
    /** Whether complete frames wait in the buffer for a later turn (reading is paused). */
    private boolean holding;

    /**
     * A decoder without a turn quota.
     * @param maxFrameSize the largest frame this side accepts (the length field value, header
     *        included), as announced in its handshake
     */
    public FrameDecoder(int maxFrameSize) {
        this(maxFrameSize, 0, null);
    }

    /**
     * @param maxFrameSize the largest frame this side accepts (the length field value, header
     *        included), as announced in its handshake
     * @param framesPerTurn the most frames passed on per read batch, or 0 for no quota
     * @param backlog where frames beyond the quota are put off (required with a quota)
     */
    public FrameDecoder(int maxFrameSize, int framesPerTurn, Backlog backlog) {
        if (framesPerTurn < 0) {
            throw new IllegalArgumentException("framesPerTurn: " + framesPerTurn + " (expected: >= 0)");
        }
        if (framesPerTurn > 0 && backlog == null) {
            throw new IllegalArgumentException("backlog: null (expected: a backlog, with a turn quota)");
        }
        this.maxFrameSize = maxFrameSize;
        this.framesPerTurn = framesPerTurn;
        this.backlog = backlog;
        setCumulator(FrameCumulator.INSTANCE);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** Whether complete frames are held for a later turn. */
    public boolean isHolding() {
        return this.holding;
    }

    /** Whether a protocol error was found; everything read since is discarded. */
    public boolean isFailed() {
        return this.failed;
    }

    /** Frames decoded so far: a changed value means the incomplete frame seen before has completed. */
    public long framesDecoded() {
        return this.framesDecoded;
    }

    /**
     * The length (length field included) of the frame whose bytes have started to arrive but which
     * is not complete yet, or 0 if the decoder holds no incomplete frame (a few bytes of a length
     * field count, with the length field's size).
     */
    public long partialFrameLength() {
        return this.partialFrameLength;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (this.failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (this.holding) {
            return; // the held frames are decoded in their own turn
        }
        try {
            decodeFrames(in, out);
        }
        catch (ProtocolException ex) {
            this.failed = true;
            this.partialFrameLength = 0;
            in.skipBytes(in.readableBytes());
            throw ex;
        }
    }

    private void decodeFrames(ByteBuf in, List<Object> out) {
        while (in.readableBytes() >= Frames.LENGTH_FIELD) {
            if (this.framesPerTurn > 0 && this.turnFrames >= this.framesPerTurn) {
                hold();
                return;
            }
            int start = in.readerIndex();
            long length = in.getUnsignedInt(start);
            if (length < Frames.HEADER_AFTER_LENGTH) {
                throw new ProtocolException("frame-length", "frame length " + length + " is shorter than the frame header (6 bytes)");
            }
            if (length > this.maxFrameSize) {
                throw new ProtocolException("frame-length", "frame length " + length + " exceeds maxFrameSize " + this.maxFrameSize);
            }
            if (in.readableBytes() >= Frames.LENGTH_FIELD + 1) {
                int code = in.getUnsignedByte(start + 4);
                if (FrameType.fromCode(code) == null) {
                    throw new ProtocolException("frame-type", "unknown frame type 0x" + Integer.toHexString(code));
                }
            }
            if (in.readableBytes() < Frames.LENGTH_FIELD + length) {
                this.partialFrameLength = Frames.LENGTH_FIELD + length;
                return;
            }
            FrameType type = FrameType.fromCode(in.getUnsignedByte(start + 4));
            int flags = in.getUnsignedByte(start + 5);
            int callId = in.getInt(start + 6);
            int payloadLength = (int) length - Frames.HEADER_AFTER_LENGTH;
            ByteBuf payload = in.retainedSlice(start + Frames.HEADER, payloadLength);
            in.readerIndex(start + Frames.HEADER + payloadLength);
            this.framesDecoded++;
            this.turnFrames++;
            out.add(new Frame(type, flags, callId, payload));
        }
        this.partialFrameLength = in.isReadable() ? Frames.LENGTH_FIELD : 0;
    }

    /**
     * The quota of this turn is spent and bytes are left: hold them (they may be a partial frame
     * only, which the next turn finds out) and stop reading.
     */
    private void hold() {
        this.partialFrameLength = 0; // what is held is read, not waited for: no frame read timeout, no budget charge
        if (!this.holding) {
            this.holding = true;
            this.backlog.holding(this::nextTurn);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        if (!this.holding) {
            this.turnFrames = 0;
        }
        super.channelReadComplete(ctx);
    }

    /** Pass on the next quota of the frames held, as a read batch of its own; release the backlog once none is held. */
    private void nextTurn() {
        ChannelHandlerContext ctx = this.ctx;
        if (!this.holding || ctx.isRemoved() || !ctx.channel().isActive()) {
            return;
        }
        this.holding = false;
        this.turnFrames = 0;
        try {
            channelRead(ctx, Unpooled.EMPTY_BUFFER); // decodes from what the buffer holds
        }
        catch (Exception ex) {
            ctx.fireExceptionCaught(ex); // as the channel does for an exception thrown by channelRead
        }
        try {
            channelReadComplete(ctx);
        }
        catch (Exception ex) {
            ctx.fireExceptionCaught(ex);
        }
        if (!this.holding) {
            this.backlog.released();
        }
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        if (this.holding) {
            in.skipBytes(in.readableBytes()); // the input closed: what is held is dropped (see the class comment)
            this.holding = false;
            return;
        }
        super.decodeLast(ctx, in, out);
    }
}
