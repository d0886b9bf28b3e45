package dev.asyncrpc.internal.transport;

import java.util.ArrayList;
import java.util.List;

import dev.asyncrpc.internal.protocol.Frame;
import dev.asyncrpc.internal.protocol.FrameType;
import dev.asyncrpc.internal.protocol.Frames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/** Helpers for the EmbeddedChannel tests of this package. */
final class TransportTestSupport {

    private TransportTestSupport() {
    }

    /** Records what reaches the end of the pipeline: exceptions, and (released) inbound messages. */
    static final class Sink extends ChannelInboundHandlerAdapter {

        final List<Throwable> exceptions = new ArrayList<>();
        final List<String> frames = new ArrayList<>();
        int readCompletes;

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            this.exceptions.add(cause);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Frame f) {
                this.frames.add(f.type() + ":" + f.callId());
                f.release();
            }
            else {
                this.frames.add(String.valueOf(msg));
                io.netty.util.ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            this.readCompletes++;
        }
    }

    static Frame pingFrame(long opaque) {
        ByteBuf payload = Unpooled.buffer(8).writeLong(opaque);
        return new Frame(FrameType.PING, 0, 0, payload);
    }

    static Frame frame(FrameType type) {
        return new Frame(type, 0, 1, Unpooled.buffer(0));
    }

    /** A whole frame on the wire: length, type, flags, call id, {@code payloadBytes} zero bytes. */
    static ByteBuf wire(FrameType type, int payloadBytes) {
        ByteBuf b = Unpooled.buffer();
        b.writeInt(Frames.HEADER_AFTER_LENGTH + payloadBytes).writeByte(type.code()).writeByte(0).writeInt(1).writeZero(payloadBytes);
        return b;
    }
}
