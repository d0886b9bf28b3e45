package dev.asyncrpc.internal.protocol;

import io.netty.buffer.ByteBuf;

/**
 * The limits one side announces in its handshake: what it accepts from its peer. The peer honours
 * them when sending; each side enforces its own.
 *
 * @param maxFrameSize the largest frame (length field value) accepted
 * @param maxConcurrentCalls the most calls in progress at once on one connection
 * @param initialPipeWindow the bytes of pipe data a sender may have unacknowledged per pipe
 * @param maxMetadataSize the largest metadata block in a call, in bytes
 */
public record Settings(int maxFrameSize, int maxConcurrentCalls, int initialPipeWindow, int maxMetadataSize) {

    static final int ID_MAX_FRAME_SIZE = 1;
    static final int ID_MAX_CONCURRENT_CALLS = 2;
    static final int ID_INITIAL_PIPE_WINDOW = 3;
    static final int ID_MAX_METADATA_SIZE = 4;

    /** The smallest frame size a peer may announce; handshakes always fit. */
    public static final int MIN_FRAME_SIZE = 1024;

    public static final Settings DEFAULTS = new Settings(16 * 1024 * 1024, 100_000, 1024 * 1024, 8 * 1024);

    public Settings {
        if (maxFrameSize < MIN_FRAME_SIZE) {
            throw new IllegalArgumentException("maxFrameSize: " + maxFrameSize + " (expected: >= " + MIN_FRAME_SIZE + ")");
        }
        if (maxConcurrentCalls <= 0) {
            throw new IllegalArgumentException("maxConcurrentCalls: " + maxConcurrentCalls + " (expected: > 0)");
        }
        if (initialPipeWindow < MIN_FRAME_SIZE) {
            throw new IllegalArgumentException("pipeWindow: " + initialPipeWindow + " (expected: >= " + MIN_FRAME_SIZE + ")");
        }
        if (maxMetadataSize <= 0) {
            throw new IllegalArgumentException("maxMetadataSize: " + maxMetadataSize + " (expected: > 0)");
        }
    }

    public Settings withMaxFrameSize(int value) {
        return new Settings(value, this.maxConcurrentCalls, this.initialPipeWindow, this.maxMetadataSize);
    }

    public Settings withMaxConcurrentCalls(int value) {
        return new Settings(this.maxFrameSize, value, this.initialPipeWindow, this.maxMetadataSize);
    }

    public Settings withInitialPipeWindow(int value) {
        return new Settings(this.maxFrameSize, this.maxConcurrentCalls, value, this.maxMetadataSize);
    }

    public Settings withMaxMetadataSize(int value) {
        return new Settings(this.maxFrameSize, this.maxConcurrentCalls, this.initialPipeWindow, value);
    }

    void writeTo(ByteBuf out) {
        out.writeShort(4);
        out.writeShort(ID_MAX_FRAME_SIZE).writeInt(this.maxFrameSize);
        out.writeShort(ID_MAX_CONCURRENT_CALLS).writeInt(this.maxConcurrentCalls);
        out.writeShort(ID_INITIAL_PIPE_WINDOW).writeInt(this.initialPipeWindow);
        out.writeShort(ID_MAX_METADATA_SIZE).writeInt(this.maxMetadataSize);
    }

    static Settings readFrom(ByteBuf in) {
        int count = in.readUnsignedShort();
        if (in.readableBytes() != count * 6) {
            throw new ProtocolException("handshake announces " + count + " settings but carries " + in.readableBytes() + " bytes");
        }
        Settings s = DEFAULTS;
        for (int i = 0; i < count; i++) {
            int id = in.readUnsignedShort();
            long value = in.readUnsignedInt();
            int v = (int) Math.min(value, Integer.MAX_VALUE);
            try {
                switch (id) {
                    case ID_MAX_FRAME_SIZE -> s = s.withMaxFrameSize(v);
                    case ID_MAX_CONCURRENT_CALLS -> s = s.withMaxConcurrentCalls(v);
                    case ID_INITIAL_PIPE_WINDOW -> s = s.withInitialPipeWindow(v);
                    case ID_MAX_METADATA_SIZE -> s = s.withMaxMetadataSize(v);
                    default -> { } // unknown settings are ignored, so that later versions can add some
                }
            }
            catch (IllegalArgumentException ex) {
                throw new ProtocolException("bad handshake setting " + id + ": " + ex.getMessage());
            }
        }
        return s;
    }
}
