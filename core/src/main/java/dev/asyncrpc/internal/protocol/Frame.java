package dev.asyncrpc.internal.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCounted;

/**
 * A decoded frame. The frame owns {@link #payload()} (a retained slice of the read buffer); whoever
 * receives a frame releases it, or passes ownership on.
 */
public final class Frame {

    private final FrameType type;
    private final int flags;
    private final int callId;
    private final ByteBuf payload;

    public Frame(FrameType type, int flags, int callId, ByteBuf payload) {
        this.type = type;
        this.flags = flags;
        this.callId = callId;
        this.payload = payload;
    }

    public FrameType type() {
        return this.type;
    }

    public int flags() {
        return this.flags;
    }

    public int callId() {
        return this.callId;
    }

    /**
     * The payload; owned by this frame.
     * @return the payload
     */
    public ByteBuf payload() {
        return this.payload;
    }

    public void release() {
        ((ReferenceCounted) this.payload).release();
    }

    @Override
    public String toString() {
        return this.type + "(flags=" + this.flags + ", callId=" + this.callId + ", " + this.payload.readableBytes() + " bytes)";
    }
}
