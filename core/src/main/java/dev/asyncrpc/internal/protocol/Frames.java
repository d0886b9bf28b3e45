package dev.asyncrpc.internal.protocol;

import java.nio.charset.StandardCharsets;

import dev.asyncrpc.Status;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;

/**
 * Frame layout constants and writers. Every writer returns a new buffer holding one whole frame;
 * the caller owns it and passes ownership to the transport by writing it.
 *
 * <pre>
 * frame   = length:u32 type:u8 flags:u8 callId:u32 payload
 * length  = 6 + payload length (bytes after the length field)
 * </pre>
 */
public final class Frames {

    public static final int LENGTH_FIELD = 4;
    public static final int HEADER_AFTER_LENGTH = 6;
    public static final int HEADER = LENGTH_FIELD + HEADER_AFTER_LENGTH;
    public static final int CALL_ID_OFFSET = 6;

    /** "ARPC". */
    public static final int MAGIC = 0x41525043;
    public static final int VERSION = 1;

    /** CALL flag: a u32 timeout in milliseconds follows the method name. */
    public static final int CALL_DEADLINE = 0x01;
    /** CALL flag: a u32 ordering key follows (calls of one key are dispatched in arrival order). */
    public static final int CALL_CAUSAL = 0x02;
    /** CALL flag: a metadata block follows. */
    public static final int CALL_METADATA = 0x04;
    /**
     * CALL flag: the call's metadata is that of the previous CALL on the connection that carried a
     * metadata block; no block follows. Only where both sides announced {@code METADATA_REUSE}.
     * @see CallMetadataReuse
     */
    public static final int CALL_SAME_METADATA = 0x08;

    /** REPLY flag: the value is null (or the operation returns void); the payload is empty. */
    public static final int REPLY_NULL = 0x01;

    /** An argument or value length that stands for {@code null}. */
    public static final int NULL_LENGTH = -1;

    private Frames() {
    }

    /**
     * Start a frame: writes the header with a zero length, to be fixed by {@link #finish(ByteBuf)}.
     * @return a new buffer owned by the caller
     */
    public static ByteBuf start(ByteBufAllocator alloc, FrameType type, int flags, int callId, int payloadHint) {
        ByteBuf buf = alloc.ioBuffer(HEADER + payloadHint);
        buf.writeInt(0).writeByte(type.code()).writeByte(flags).writeInt(callId);
        return buf;
    }

    /**
     * Frames expected to be at most this many bytes are built on the Java heap by
     * {@link #startSized}. It matches the largest frame the connection's write coalescer joins.
     */
    public static final int HEAP_FRAME_MAX = 1024;

    /** Unpooled heap buffers, with leak detection as configured. */
    private static final ByteBufAllocator HEAP = new UnpooledByteBufAllocator(false);

    /**
     * Start a frame of a call or reply whose size is expected to be {@code expectedPayload} (the size of
     * the previous one of its operation). A small frame (up to {@value #HEAP_FRAME_MAX} bytes) is built
     * in an unpooled heap buffer: allocating one is a bump of the thread's allocation buffer, where a
     * pooled direct buffer taken by a caller thread costs a lock shared with the event loops (a third
     * of a small call's encoding time in a profile), and its bytes are copied once anyway, into the
     * write coalescer's joined buffer or by the transport into a direct one. A larger frame gets a
     * pooled direct buffer from {@code alloc}, as {@link #start} does.
     * @return a new buffer owned by the caller
     */
    public static ByteBuf startSized(ByteBufAllocator alloc, FrameType type, int flags, int callId, int expectedPayload) {
        int size = HEADER + expectedPayload;
        ByteBuf buf = (size <= HEAP_FRAME_MAX) ? HEAP.heapBuffer(size) : alloc.ioBuffer(size);
        buf.writeInt(0).writeByte(type.code()).writeByte(flags).writeInt(callId);
        return buf;
    }

    /** Fix the length field of a frame started with {@link #start} or {@link #startSized}. */
    public static ByteBuf finish(ByteBuf frame) {
        frame.setInt(frame.readerIndex(), frame.readableBytes() - LENGTH_FIELD);
        return frame;
    }

    public static ByteBuf hello(ByteBufAllocator alloc, FrameType type, int version, Settings settings) {
        ByteBuf buf = start(alloc, type, 0, 0, 32);
        buf.writeInt(MAGIC).writeShort(version);
        settings.writeTo(buf);
        return finish(buf);
    }

    /** A handshake read from a HELLO or HELLO_ACK payload. */
    public record Hello(int version, Settings settings) {
    }

    public static Hello readHello(ByteBuf payload) {
        if (payload.readableBytes() < 8) {
            throw new ProtocolException("handshake payload too short (" + payload.readableBytes() + " bytes)");
        }
        int magic = payload.readInt();
        if (magic != MAGIC) {
            throw new ProtocolException("not an asyncrpc peer (magic 0x" + Integer.toHexString(magic) + ")");
        }
        int version = payload.readUnsignedShort();
        return new Hello(version, Settings.readFrom(payload));
    }

    public static ByteBuf error(ByteBufAllocator alloc, int callId, Status status, String message) {
        byte[] text = utf8(message, 4096);
        ByteBuf buf = start(alloc, FrameType.ERROR, 0, callId, 4 + text.length);
        buf.writeShort(status.code()).writeShort(text.length).writeBytes(text);
        return finish(buf);
    }

    public static ByteBuf cancel(ByteBufAllocator alloc, int callId, int mode) {
        ByteBuf buf = start(alloc, FrameType.CANCEL, 0, callId, 1);
        buf.writeByte(mode);
        return finish(buf);
    }

    public static ByteBuf goAway(ByteBufAllocator alloc, int lastCallId, Status status, String message) {
        byte[] text = utf8(message, 4096);
        ByteBuf buf = start(alloc, FrameType.GOAWAY, 0, 0, 8 + text.length);
        buf.writeInt(lastCallId).writeShort(status.code()).writeShort(text.length).writeBytes(text);
        return finish(buf);
    }

    public static ByteBuf ping(ByteBufAllocator alloc, FrameType type, long opaque) {
        ByteBuf buf = start(alloc, type, 0, 0, 8);
        buf.writeLong(opaque);
        return finish(buf);
    }

    /** Status code, message and details from an ERROR payload (status:u16 messageLength:u16 message). */
    public record ErrorBody(Status status, String message) {
    }

    public static ErrorBody readError(ByteBuf payload) {
        if (payload.readableBytes() < 4) {
            throw new ProtocolException("ERROR payload too short");
        }
        Status status = Status.fromCode(payload.readUnsignedShort());
        int len = payload.readUnsignedShort();
        if (len > payload.readableBytes()) {
            throw new ProtocolException("ERROR message length " + len + " exceeds payload");
        }
        String message = payload.readCharSequence(len, StandardCharsets.UTF_8).toString();
        return new ErrorBody(status, message);
    }

    /** GOAWAY payload: lastCallId:u32 status:u16 messageLength:u16 message. */
    public record GoAwayBody(int lastCallId, Status status, String message) {
    }

    public static GoAwayBody readGoAway(ByteBuf payload) {
        if (payload.readableBytes() < 8) {
            throw new ProtocolException("GOAWAY payload too short");
        }
        int last = payload.readInt();
        ErrorBody body = readError(payload);
        return new GoAwayBody(last, body.status(), body.message());
    }

    /**
     * Write a CALL metadata block (length:u16 then entries of key:u16-string value:u16-string).
     * @throws IllegalArgumentException if the block exceeds {@code maxBytes}
     * @see MetadataWriter
     */
    public static void writeMetadata(ByteBuf out, java.util.Map<String, String> metadata, int maxBytes) {
        int at = out.writerIndex();
        out.writeShort(0);
        for (java.util.Map.Entry<String, String> e : metadata.entrySet()) {
            writeEntry(out, e.getKey(), e.getValue());
        }
        int size = out.writerIndex() - at - 2;
        checkMetadataSize(size, maxBytes);
        out.setShort(at, size);
    }

    /** One metadata entry: key and value, each a u16 length then UTF-8 bytes. */
    static void writeEntry(ByteBuf out, String key, String value) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        byte[] v = value.getBytes(StandardCharsets.UTF_8);
        out.writeShort(k.length).writeBytes(k).writeShort(v.length).writeBytes(v);
    }

    /** @throws IllegalArgumentException if a block of {@code size} bytes exceeds {@code maxBytes} or 0xFFFF */
    static void checkMetadataSize(int size, int maxBytes) {
        if (size > Math.min(maxBytes, 0xFFFF)) {
            throw new IllegalArgumentException("call metadata of " + size + " bytes exceeds the limit of " + Math.min(maxBytes, 0xFFFF));
        }
    }

    /**
     * Read the entries of a metadata block (the length already consumed).
     * @see MetadataReader
     */
    public static java.util.Map<String, String> readMetadata(ByteBuf block) {
        java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
        while (block.isReadable()) {
            int kl = block.readUnsignedShort();
            String k = block.readCharSequence(kl, StandardCharsets.UTF_8).toString();
            int vl = block.readUnsignedShort();
            String v = block.readCharSequence(vl, StandardCharsets.UTF_8).toString();
            m.put(k, v);
        }
        return java.util.Collections.unmodifiableMap(m);
    }

    public static byte[] utf8(String text, int maxBytes) {
        byte[] b = (text != null ? text : "").getBytes(StandardCharsets.UTF_8);
        if (b.length <= maxBytes) {
            return b;
        }
        int n = maxBytes;
        while (n > 0 && (b[n] & 0xC0) == 0x80) {
            n--; // do not cut a UTF-8 sequence
        }
        byte[] cut = new byte[n];
        System.arraycopy(b, 0, cut, 0, n);
        return cut;
    }
}
