package dev.asyncrpc.internal.codec;

import io.netty.buffer.ByteBuf;

/** Encodes and decodes values of one declared type. Thread-safe. */
public interface ValueCodec {

    /**
     * Append the encoding of {@code value} (never {@code null}) to {@code out}. Does not take
     * ownership of {@code out}.
     */
    void encode(Object value, ByteBuf out);

    /**
     * Decode a value from all readable bytes of {@code in}. Does not take ownership of {@code in}.
     * @throws CodecException if the bytes do not hold a value of the declared type
     */
    Object decode(ByteBuf in);
}
