package dev.asyncrpc.internal.server;

import java.util.List;

import dev.asyncrpc.RemoteCallException;
import dev.asyncrpc.Status;
import dev.asyncrpc.internal.codec.Codecs;
import dev.asyncrpc.internal.protocol.Frames;
import dev.asyncrpc.test.PlainCalc;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ArgumentDecoderTests {

    private static final ServiceRegistry REGISTRY = ServiceRegistry.of(List.of(new PlainCalc()), new Codecs(4096));

    private static ByteBuf args(ServerMethod method, Object... values) {
        ByteBuf buf = Unpooled.buffer();
        buf.writeByte(values.length);
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null) {
                buf.writeInt(Frames.NULL_LENGTH);
                continue;
            }
            int at = buf.writerIndex();
            buf.writeInt(0);
            method.argCodecs[i].encode(values[i], buf);
            buf.setInt(at, buf.writerIndex() - at - 4);
        }
        return buf;
    }

    @Test
    void decodesWireArgumentsAndReleasesTheBuffer() {
        ServerMethod add = REGISTRY.find("calc/add");
        ByteBuf in = args(add, 2, 40);
        assertThat(ArgumentDecoder.decode(add, in, new Object(), null)).containsExactly(2, 40);
        assertThat(in.refCnt()).isZero();
    }

    @Test
    void aNullArgumentStaysNull() {
        ServerMethod echo = REGISTRY.find("calc/echo");
        ByteBuf in = args(echo, (Object) null);
        assertThat(ArgumentDecoder.decode(echo, in, new Object(), null)).containsExactly((Object) null);
        assertThat(in.refCnt()).isZero();
    }

    @Test
    void aWrongCountIsInvalidArgument() {
        ServerMethod add = REGISTRY.find("calc/add");
        ByteBuf in = args(add, 2);
        assertThatThrownBy(() -> ArgumentDecoder.decode(add, in, new Object(), null))
                .isInstanceOfSatisfying(RemoteCallException.class, ex -> assertThat(ex.status()).isEqualTo(Status.INVALID_ARGUMENT))
                .hasMessageContaining("takes 2 arguments but the call carries 1");
        assertThat(in.refCnt()).isZero();
    }

    @Test
    void aBadLengthAndTruncatedArgumentsAreInvalidArgument() {
        ServerMethod add = REGISTRY.find("calc/add");
        ByteBuf bad = Unpooled.buffer().writeByte(2).writeInt(1000);
        assertThatThrownBy(() -> ArgumentDecoder.decode(add, bad, new Object(), null))
                .isInstanceOfSatisfying(RemoteCallException.class, ex -> assertThat(ex.status()).isEqualTo(Status.INVALID_ARGUMENT))
                .hasMessageContaining("has a bad length 1000");
        assertThat(bad.refCnt()).isZero();
        ByteBuf truncated = Unpooled.buffer().writeByte(2);
        assertThatThrownBy(() -> ArgumentDecoder.decode(add, truncated, new Object(), null))
                .isInstanceOfSatisfying(RemoteCallException.class, ex -> assertThat(ex.status()).isEqualTo(Status.INVALID_ARGUMENT))
                .hasMessageContaining("are truncated");
        assertThat(truncated.refCnt()).isZero();
    }
}
