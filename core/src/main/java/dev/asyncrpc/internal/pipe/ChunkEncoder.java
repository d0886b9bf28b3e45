package dev.asyncrpc.internal.pipe;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import dev.asyncrpc.RemoteCallException;
import dev.asyncrpc.Status;
import dev.asyncrpc.internal.codec.CodecException;
import dev.asyncrpc.internal.codec.ValueCodec;
import dev.asyncrpc.internal.protocol.Frames;
import dev.asyncrpc.internal.protocol.PipeFrames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.buffer.UnpooledHeapByteBuf;

/**
 * Encodes pushed elements into PIPE_DATA frames of at most {@code frameCap} payload bytes (half the
 * receiver's window, within its {@code MAX_FRAME_SIZE}), cut at about {@code softTarget} bytes.
 * Raw elements ({@code byte[]}, {@code ByteBuffer}) are copied straight into the frame; other
 * values are encoded into a heap scratch buffer first and copied into frames in one piece each.
 * Frames carry call id 0: the writer sets it. Producer thread only (not thread-safe).
 *
 * <p>ByteBuf ownership: every frame returned is owned by the caller.
 */
final class ChunkEncoder {

    /** Soft frame size: a push of many small elements is cut into frames of about this size. */
    static final int SOFT_FRAME_BYTES = 128 * 1024;

    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

    private final ValueCodec codec;
    private final boolean raw;
    private final int index;
    private final int window;
    private final int frameCap;
    private final int softTarget;
    private final Supplier<String> describe;
    /** Scratch space for encoding values. Not pooled, not reference-tracked. */
    private ByteBuf scratch;

    /**
     * @param peerWindow the receiver's pipe window
     * @param peerMaxFrameSize the receiver's largest frame
     * @param describe names the pipe end in messages
     */
    ChunkEncoder(ValueCodec codec, boolean raw, int index, int peerWindow, int peerMaxFrameSize, Supplier<String> describe) {
        this.codec = codec;
        this.raw = raw;
        this.index = index;
        this.window = peerWindow;
        this.frameCap = frameCap(peerWindow, peerMaxFrameSize);
        this.softTarget = Math.min(this.frameCap, SOFT_FRAME_BYTES);
        this.describe = describe;
    }

    /** The largest PIPE_DATA payload: half the window, and the whole frame within {@code maxFrameSize}. */
    static int frameCap(int peerWindow, int peerMaxFrameSize) {
        return Math.max(1, Math.min(Math.max(1, peerWindow / 2), peerMaxFrameSize - Frames.HEADER_AFTER_LENGTH));
    }

    int frameCap() {
        return this.frameCap;
    }

    /** Whether elements are raw bytes ({@code byte[]}, {@code ByteBuffer}), copied as they are. */
    boolean isRaw() {
        return this.raw;
    }

    int softTarget() {
        return this.softTarget;
    }

    /** One encoded frame: its payload size (counted against credit) and element count. */
    record Encoded(ByteBuf frame, int size, int elements) {
    }

    /**
     * Encode {@code elements}.
     * @param busy whether the writer is behind: raw frames then leave room for small pushes that
     *        follow ({@link #append})
     * @return new frames owned by the caller, in order
     * @throws RemoteCallException if an element cannot be encoded or is too large
     */
    List<Encoded> encode(List<?> elements, boolean busy) {
        return this.raw ? encodeRaw(elements, busy) : encodeValues(elements);
    }

    /**
     * Append raw elements to {@code frame} (the last frame queued, not yet written) if they fit its
     * room and the soft target.
     * @param size the frame's payload size now
     * @param count the frame's element count now
     * @return the bytes appended, or -1 if they do not fit (nothing was written)
     */
    int append(ByteBuf frame, int size, int count, List<?> elements) {
        if (!this.raw) {
            return -1;
        }
        int needed = 0;
        for (Object e : elements) {
            needed += 4 + ((e instanceof byte[] b) ? b.length : ((java.nio.ByteBuffer) e).remaining());
        }
        if (size + needed > this.softTarget || count + elements.size() > PipeFrames.MAX_COUNT || frame.writableBytes() < needed) {
            return -1;
        }
        for (Object e : elements) {
            if (e instanceof byte[] b) {
                frame.writeInt(b.length).writeBytes(b);
            }
            else {
                java.nio.ByteBuffer bb = ((java.nio.ByteBuffer) e).duplicate();
                frame.writeInt(bb.remaining()).writeBytes(bb);
            }
        }
        PipeFrames.finishData(frame, count + elements.size());
        return needed;
    }

    private List<Encoded> encodeValues(List<?> elements) {
        ByteBuf s = this.scratch;
        if (s == null) {
            s = new UnpooledHeapByteBuf(UnpooledByteBufAllocator.DEFAULT, 4096, Integer.MAX_VALUE);
        }
        s.clear();
        int n = elements.size();
        int[] ends = new int[n];
        int cap = this.frameCap;
        for (int i = 0; i < n; i++) {
            int at = s.writerIndex();
            s.writeInt(0);
            try {
                this.codec.encode(elements.get(i), s);
            }
            catch (CodecException | ClassCastException ex) {
                throw cannotEncode(ex);
            }
            int length = s.writerIndex() - at - 4;
            s.setInt(at, length);
            if (PipeFrames.DATA_HEADER + 4 + length > cap) {
                throw tooLarge(length);
            }
            ends[i] = s.writerIndex();
        }
        this.scratch = (s.capacity() <= 1024 * 1024) ? s : null;
        List<Encoded> out = new ArrayList<>(1);
        try {
            int from = 0;
            int first = 0;
            for (int i = 0; i < n; i++) {
                if (PipeFrames.DATA_HEADER + ends[i] - from > cap) {
                    out.add(frameOf(s, from, ends[i - 1], i - first));
                    from = ends[i - 1];
                    first = i;
                }
                if (PipeFrames.DATA_HEADER + ends[i] - from >= this.softTarget || i + 1 - first == PipeFrames.MAX_COUNT) {
                    out.add(frameOf(s, from, ends[i], i + 1 - first));
                    from = ends[i];
                    first = i + 1;
                }
            }
            if (first < n) {
                out.add(frameOf(s, from, ends[n - 1], n - first));
            }
            return out;
        }
        catch (RuntimeException ex) {
            release(out);
            throw ex;
        }
    }

    private Encoded frameOf(ByteBuf scratch, int from, int to, int count) {
        ByteBuf frame = PipeFrames.startData(ALLOC, this.index, to - from);
        frame.writeBytes(scratch, from, to - from);
        return seal(frame, count);
    }

    private List<Encoded> encodeRaw(List<?> elements, boolean busy) {
        int cap = this.frameCap;
        List<Encoded> out = new ArrayList<>(1);
        ByteBuf frame = null;
        int count = 0;
        try {
            for (int i = 0; i < elements.size(); i++) {
                Object e = elements.get(i);
                if (frame == null) {
                    frame = PipeFrames.startData(ALLOC, this.index, rawFrameBytes(elements, i, busy));
                    count = 0;
                }
                int at = frame.writerIndex();
                frame.writeInt(0);
                try {
                    this.codec.encode(e, frame);
                }
                catch (CodecException | ClassCastException ex) {
                    throw cannotEncode(ex);
                }
                int length = frame.writerIndex() - at - 4;
                frame.setInt(at, length);
                if (payload(frame) > cap) {
                    if (count == 0) {
                        throw tooLarge(length);
                    }
                    ByteBuf next = PipeFrames.startData(ALLOC, this.index, length + 4);
                    next.writeBytes(frame, at, length + 4);
                    frame.writerIndex(at);
                    out.add(seal(frame, count));
                    frame = next;
                    count = 0;
                    if (payload(frame) > cap) {
                        throw tooLarge(length);
                    }
                }
                count++;
                if (payload(frame) >= this.softTarget || count == PipeFrames.MAX_COUNT) {
                    out.add(seal(frame, count));
                    frame = null;
                }
            }
            if (frame != null) {
                out.add(seal(frame, count));
                frame = null;
            }
            return out;
        }
        catch (RuntimeException ex) {
            if (frame != null) {
                frame.release();
            }
            release(out);
            throw ex;
        }
    }

    /**
     * The element bytes to allocate for a frame that starts with element {@code from}: exactly the
     * elements that will go into it (cut as {@link #encodeRaw} cuts), so that it never grows (a
     * copy). If the writer is busy and the frame ends before the soft target with room for another
     * element as large as its average, up to 8 times its size (within the soft target), so that
     * small pushes that follow can share it ({@link #append}).
     */
    int rawFrameBytes(List<?> elements, int from, boolean busy) {
        int bytes = 0;
        int n = 0;
        for (int i = from; i < elements.size(); i++) {
            int size = hint(elements.get(i));
            if (n > 0 && PipeFrames.DATA_HEADER + bytes + size > this.frameCap) {
                return bytes; // the next element starts a frame of its own
            }
            bytes += size;
            n++;
            if (PipeFrames.DATA_HEADER + bytes >= this.softTarget || n == PipeFrames.MAX_COUNT) {
                return bytes; // the frame is sealed here: nothing is appended to it
            }
        }
        if (busy && PipeFrames.DATA_HEADER + bytes + bytes / n <= this.softTarget) {
            return Math.min(this.softTarget - PipeFrames.DATA_HEADER, 8 * bytes);
        }
        return bytes;
    }

    private static void release(List<Encoded> frames) {
        for (Encoded f : frames) {
            f.frame().release();
        }
    }

    private RemoteCallException cannotEncode(RuntimeException ex) {
        return new RemoteCallException(Status.INVALID_ARGUMENT, "cannot encode an element of " + this.describe.get() + ": "
                + ex.getMessage(), Map.of(), ex);
    }

    private RemoteCallException tooLarge(int length) {
        return new RemoteCallException(Status.RESOURCE_EXHAUSTED, "an element of " + this.describe.get() + " takes " + length
                + " bytes, more than a pipe frame carries (" + (this.frameCap - PipeFrames.DATA_HEADER - 4)
                + " bytes: half the receiver's pipe window of " + this.window
                + " bytes, within its maxFrameSize); raise the receiver's pipe window or send smaller elements");
    }

    /** The payload bytes of a frame started with {@link PipeFrames#startData}. */
    static int payload(ByteBuf frame) {
        return frame.writerIndex() - frame.readerIndex() - Frames.HEADER;
    }

    private static Encoded seal(ByteBuf frame, int count) {
        PipeFrames.finishData(frame, count);
        return new Encoded(frame, payload(frame), count);
    }

    private static int hint(Object e) {
        if (e instanceof byte[] b) {
            return b.length + 4;
        }
        if (e instanceof java.nio.ByteBuffer bb) {
            return bb.remaining() + 4;
        }
        return 256 * 16;
    }
}
