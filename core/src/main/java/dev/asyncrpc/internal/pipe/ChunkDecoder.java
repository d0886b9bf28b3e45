package dev.asyncrpc.internal.pipe;

import java.util.List;

import dev.asyncrpc.internal.codec.CodecException;
import dev.asyncrpc.internal.codec.ValueCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Decodes the elements of a received PIPE_DATA payload: each is a 4-byte length and that many
 * bytes (the frame layout was checked when it arrived). Raw elements ({@code byte[]},
 * {@code ByteBuffer}) are copied out of the payload; values are decoded from a heap copy of the
 * payload, made once per chunk, because the codec reads arrays fastest. Consumer thread only.
 */
final class ChunkDecoder {

    private ChunkDecoder() {
    }

    /**
     * Decode the next {@code n} elements of {@code chunk} into {@code out}, counting them off its
     * {@code remaining}. Does not release the payload.
     * @throws CodecException if an element cannot be decoded
     * @throws IndexOutOfBoundsException if an element runs past the payload
     */
    @SuppressWarnings("unchecked")
    static <T> void decode(InboundChunks.Chunk chunk, int n, ValueCodec codec, boolean raw, List<T> out) {
        ByteBuf src = chunk.payload;
        if (!raw) {
            if (chunk.heap == null) {
                byte[] copy = new byte[chunk.payload.readableBytes()];
                chunk.payload.getBytes(chunk.payload.readerIndex(), copy);
                chunk.heap = Unpooled.wrappedBuffer(copy);
            }
            src = chunk.heap;
        }
        for (int k = 0; k < n; k++) {
            int length = src.readInt();
            ByteBuf element = src.readSlice(length);
            T value = (T) codec.decode(element);
            chunk.remaining--;
            out.add(value);
        }
    }
}
