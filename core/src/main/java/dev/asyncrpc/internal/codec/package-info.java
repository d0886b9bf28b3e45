/**
 * Value encoding: {@code Codecs} picks a {@code ValueCodec} for each declared parameter and return
 * type. {@code byte[]} and {@code ByteBuffer} travel raw; everything else is CBOR through Jackson,
 * decoding only the declared type (no polymorphic typing, no Java serialization).
 */
package dev.asyncrpc.internal.codec;
