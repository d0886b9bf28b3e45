package dev.asyncrpc.internal.codec;

import java.io.IOException;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufOutputStream;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
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

    private final ObjectMapper mapper;

    public Codecs() {
        this(CBORMapper.builder().build());
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
        }

        private static String originalMessage(Exception ex) {
            return (ex instanceof JacksonException jex) ? jex.getOriginalMessage() : ex.getMessage();
        }
    }
}
