package dev.asyncrpc.internal.codec;

import java.io.IOException;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufOutputStream;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.dataformat.cbor.CBORFactory;
import tools.jackson.dataformat.cbor.CBORMapper;

/**
 * Makes {@link ValueCodec}s for declared Java types. One instance per client or server; thread-safe.
 */
public final class Codecs {

    private static final ValueCodec BYTES = new ValueCodec() {
        @Override
        public void encode(Object value, ByteBuf out) {
            out.writeBytes((byte[]) value);
        }

        @Override
        public Object decode(ByteBuf in) {
            byte[] b = new byte[in.readableBytes()];
            in.readBytes(b);
            return b;
        }
    };

    private static final ValueCodec BYTE_BUFFER = new ValueCodec() {
        @Override
        public void encode(Object value, ByteBuf out) {
            out.writeBytes(((ByteBuffer) value).duplicate());
        }

        @Override
        public Object decode(ByteBuf in) {
            ByteBuffer b = ByteBuffer.allocate(in.readableBytes());
            in.readBytes(b);
            return b.flip();
        }
    };

    /** The default {@code maxValueSize}: the default largest frame, 16 MiB. */
    public static final int DEFAULT_MAX_VALUE_SIZE = 16 * 1024 * 1024;

    /** The longest number Jackson reads (digits of a textual number, bytes of a bignum). */
    static final int MAX_NUMBER_LENGTH = 1000;

    private final ObjectMapper mapper;

    /** Codecs for values of at most {@value #DEFAULT_MAX_VALUE_SIZE} bytes. */
    public Codecs() {
        this(DEFAULT_MAX_VALUE_SIZE);
    }

    /**
     * Codecs whose decoders refuse what could not have arrived in one frame: a value above
     * {@code maxValueSize} bytes, or a string above {@code maxValueSize} characters. Arrays and maps
     * nest at most {@value CborGuard#MAX_DEPTH} deep, a data item carries at most
     * {@value CborGuard#MAX_TAGS} tags, a number has at most {@value #MAX_NUMBER_LENGTH} digits (or
     * bytes of a bignum) and a decimal's exponent lies within &plusmn;{@value CborGuard#MAX_DECIMAL_EXPONENT}.
     * @param maxValueSize the largest frame this side accepts, in bytes
     */
    public Codecs(int maxValueSize) {
        this(CBORMapper.builder(CBORFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(CborGuard.MAX_DEPTH)
                        .maxNumberLength(MAX_NUMBER_LENGTH)
                        .maxStringLength(maxValueSize)
                        .maxDocumentLength(maxValueSize)
                        .build())
                .build()).build());
    }

    public Codecs(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * A codec for the declared type {@code type} (generics included).
     * @param type the declared type
     * @return the codec
     */
    public ValueCodec forType(Type type) {
        if (type == byte[].class) {
            return BYTES;
        }
        if (type == ByteBuffer.class) {
            return BYTE_BUFFER;
        }
        JavaType javaType = this.mapper.getTypeFactory().constructType(type);
        return new JacksonCodec(javaType, this.mapper.writerFor(javaType), this.mapper.readerFor(javaType));
    }

    private record JacksonCodec(JavaType type, ObjectWriter writer, ObjectReader reader) implements ValueCodec {

        @Override
        public void encode(Object value, ByteBuf out) {
            try (ByteBufOutputStream os = new ByteBufOutputStream(out)) {
                this.writer.writeValue((java.io.OutputStream) os, value);
            }
            catch (JacksonException | IOException ex) {
                throw new CodecException("cannot encode " + value.getClass().getName() + " as " + this.type + ": " + originalMessage(ex), ex);
            }
        }

        @Override
        public Object decode(ByteBuf in) {
            try {
                // one view of the bytes, not a buffer call per byte (which a leak-aware buffer would record)
                CborGuard.check(in.hasArray() ? ByteBuffer.wrap(in.array(), in.arrayOffset() + in.readerIndex(), in.readableBytes())
                        : in.nioBuffer(in.readerIndex(), in.readableBytes()));
            }
            catch (CodecException ex) {
                throw new CodecException("cannot decode " + this.type + ": " + ex.getMessage(), null);
            }
            try {
                if (in.hasArray()) {
                    return this.reader.readValue(in.array(), in.arrayOffset() + in.readerIndex(), in.readableBytes());
                }
                try (ByteBufInputStream is = new ByteBufInputStream(in)) {
                    return this.reader.readValue((java.io.InputStream) is);
                }
            }
            catch (JacksonException | IOException ex) {
                throw new CodecException("cannot decode " + this.type + ": " + originalMessage(ex), ex);
            }
            catch (IllegalArgumentException | ArithmeticException ex) {
                // Jackson lets some number conversions throw these (found by fuzzing: NaN read as a
                // BigInteger throws NumberFormatException): the peer sent a bad value, not a bug of ours
                throw new CodecException("cannot decode " + this.type + ": " + ex.getMessage(), ex);
            }
        }

        private static String originalMessage(Exception ex) {
            return (ex instanceof JacksonException jex) ? jex.getOriginalMessage() : ex.getMessage();
        }
    }
}
