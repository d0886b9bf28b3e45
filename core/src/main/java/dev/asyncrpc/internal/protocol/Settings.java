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
 * @param metadataReuse whether CALL frames may say "same metadata as the previous one" (the
 *        {@link Frames#CALL_SAME_METADATA} flag); in use on a connection only when both sides
 *        announce it (see {@link #metadataReuse(Settings, Settings)}). A peer that does not announce
 *        the setting (an older one) is read as not supporting it.
 */
public record Settings(int maxFrameSize, int maxConcurrentCalls, int initialPipeWindow, int maxMetadataSize, boolean metadataReuse) {

    static final int ID_MAX_FRAME_SIZE = 1;
    static final int ID_MAX_CONCURRENT_CALLS = 2;
    static final int ID_INITIAL_PIPE_WINDOW = 3;
    static final int ID_MAX_METADATA_SIZE = 4;
    static final int ID_METADATA_REUSE = 5;

    /** The smallest frame size a peer may announce; handshakes always fit. */
    public static final int MIN_FRAME_SIZE = 1024;

    public static final Settings DEFAULTS = new Settings(16 * 1024 * 1024, 100_000, 1024 * 1024, 8 * 1024, true);

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
        return new Settings(value, this.maxConcurrentCalls, this.initialPipeWindow, this.maxMetadataSize, this.metadataReuse);
    }

    public Settings withMaxConcurrentCalls(int value) {
        return new Settings(this.maxFrameSize, value, this.initialPipeWindow, this.maxMetadataSize, this.metadataReuse);
    }

    public Settings withInitialPipeWindow(int value) {
        return new Settings(this.maxFrameSize, this.maxConcurrentCalls, value, this.maxMetadataSize, this.metadataReuse);
    }

    public Settings withMaxMetadataSize(int value) {
        return new Settings(this.maxFrameSize, this.maxConcurrentCalls, this.initialPipeWindow, value, this.metadataReuse);
    }

    public Settings withMetadataReuse(boolean value) {
        return new Settings(this.maxFrameSize, this.maxConcurrentCalls, this.initialPipeWindow, this.maxMetadataSize, value);
    }

    /**
     * Whether the CALL frames of a connection may reuse metadata: both sides announced it.
     * @param local what this side announced
     * @param peer what the peer announced
     */
    public static boolean metadataReuse(Settings local, Settings peer) {
        return local.metadataReuse && peer.metadataReuse;
    }

    void writeTo(ByteBuf out) {
        out.writeShort(5);
        out.writeShort(ID_MAX_FRAME_SIZE).writeInt(this.maxFrameSize);
        out.writeShort(ID_MAX_CONCURRENT_CALLS).writeInt(this.maxConcurrentCalls);
        out.writeShort(ID_INITIAL_PIPE_WINDOW).writeInt(this.initialPipeWindow);
        out.writeShort(ID_MAX_METADATA_SIZE).writeInt(this.maxMetadataSize);
        out.writeShort(ID_METADATA_REUSE).writeInt(this.metadataReuse ? 1 : 0);
    }

    static Settings readFrom(ByteBuf in) {
        int count = in.readUnsignedShort();
        if (in.readableBytes() != count * 6) {
            throw new ProtocolException("handshake announces " + count + " settings but carries " + in.readableBytes() + " bytes");
        }
        Settings s = DEFAULTS.withMetadataReuse(false); // an absent setting: a peer that does not know it
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
                    case ID_METADATA_REUSE -> s = s.withMetadataReuse(flag(value));
                    default -> { } // unknown settings are ignored, so that later versions can add some
                }
            }
            catch (IllegalArgumentException ex) {
                throw new ProtocolException("bad handshake setting " + id + ": " + ex.getMessage());
            }
        }
        return s;
    }

    private static boolean flag(long value) {
        if (value > 1) {
            throw new IllegalArgumentException(value + " (expected: 0 or 1)");
        }
        return value == 1;
    }
}
