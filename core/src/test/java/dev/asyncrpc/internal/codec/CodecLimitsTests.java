package dev.asyncrpc.internal.codec;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import tools.jackson.core.type.TypeReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The decoders' limits: what a hostile peer can put in one value is refused quickly with a message
 * naming the limit, and what our own encoders write still decodes.
 */
class CodecLimitsTests {

    record Point(String name, List<Integer> xs, Map<String, Long> tags) {
    }

    private final Codecs codecs = new Codecs();

    private Object decode(Type type, byte[] bytes) {
        ByteBuf buf = Unpooled.wrappedBuffer(bytes);
        try {
            return this.codecs.forType(type).decode(buf);
        }
        finally {
            buf.release();
        }
    }

    private Object roundTrip(Type type, Object value) {
        ByteBuf buf = Unpooled.buffer();
        try {
            this.codecs.forType(type).encode(value, buf);
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            return decode(type, bytes);
        }
        finally {
            buf.release();
        }
    }

    @Test
    void eightHundredThousandNestedTagsAreRefusedAtOnce() {
        byte[] bomb = new byte[800_001];
        Arrays.fill(bomb, (byte) 0xc6); // tag 6, again and again
        bomb[800_000] = 0x01;
        long start = System.nanoTime();
        assertThatThrownBy(() -> decode(String.class, bomb)).isInstanceOf(CodecException.class)
                .hasMessage("cannot decode [simple type, class java.lang.String]: more than 4 tags on one data item (at byte 4)");
        assertThat((System.nanoTime() - start) / 1_000_000).as("ms to refuse").isLessThan(1000);
    }

    @Test
    void fourTagsOnAnItemAreAccepted() {
        assertThat(decode(Integer.class, bytes(0xc6, 0xc6, 0xc6, 0xc6, 0x05))).isEqualTo(5);
        assertThat(decode(new TypeReference<List<Integer>>() { }.getType(), bytes(0x82, 0xc6, 0xc6, 0xc6, 0xc6, 0x01, 0xc6, 0xc6, 0xc6, 0xc6, 0x02)))
                .as("the count restarts at each item").isEqualTo(List.of(1, 2));
    }

    @Test
    void arraysNestedDeeperThan128AreRefused() {
        assertThat(decode(Object.class, nested(128, 0x81, bytes(0x01)))).isInstanceOf(List.class);
        assertThatThrownBy(() -> decode(Object.class, nested(129, 0x81, bytes(0x01)))).isInstanceOf(CodecException.class)
                .hasMessageContaining("arrays and maps nested deeper than 128 levels (at byte 128)");
        assertThatThrownBy(() -> decode(Object.class, nested(1_000_000, 0x81, bytes(0x01)))).isInstanceOf(CodecException.class)
                .hasMessageContaining("nested deeper than 128 levels");
        assertThatThrownBy(() -> decode(Object.class, nested(1_000_000, 0x9f, bytes(0x01)))).as("indefinite arrays")
                .isInstanceOf(CodecException.class).hasMessageContaining("nested deeper than 128 levels");
    }

    @Test
    void mapsNestedDeeperThan128AreRefused() {
        byte[] level = bytes(0xa1, 0x61, 'k'); // {"k": ...
        assertThat(decode(Object.class, nested(128, level, bytes(0x01)))).isInstanceOf(Map.class);
        assertThatThrownBy(() -> decode(Object.class, nested(129, level, bytes(0x01)))).isInstanceOf(CodecException.class)
                .hasMessageContaining("arrays and maps nested deeper than 128 levels (at byte 384)");
        assertThatThrownBy(() -> decode(new TypeReference<Map<String, Object>>() { }.getType(), nested(100_000, level, bytes(0x01))))
                .isInstanceOf(CodecException.class).hasMessageContaining("nested deeper than 128 levels");
    }

    @Test
    void decimalExponentsBeyond400AreRefused() {
        // 4([e, 1]): 1 times ten to the e
        assertThat(decode(BigInteger.class, bytes(0xc4, 0x82, 0x19, 0x01, 0x90, 0x01))).isEqualTo(BigInteger.TEN.pow(400));
        assertThat(decode(BigDecimal.class, bytes(0xc4, 0x82, 0x39, 0x01, 0x8f, 0x01))).isEqualTo(new BigDecimal("1E-400"));
        assertThatThrownBy(() -> decode(BigInteger.class, bytes(0xc4, 0x82, 0x19, 0x01, 0x91, 0x01))).isInstanceOf(CodecException.class)
                .hasMessageContaining("a decimal fraction or bigfloat with an exponent beyond +/-400 (at byte 2)");
        assertThatThrownBy(() -> decode(BigDecimal.class, bytes(0xc4, 0x82, 0x39, 0x01, 0x90, 0x01))).as("-401")
                .isInstanceOf(CodecException.class).hasMessageContaining("exponent beyond +/-400");
        assertThatThrownBy(() -> decode(BigInteger.class, bytes(0xc4, 0x82, 0xc6, 0x1a, 0x00, 0x0f, 0x42, 0x40, 0x01)))
                .as("a tagged exponent").isInstanceOf(CodecException.class).hasMessageContaining("exponent beyond +/-400");
        assertThatThrownBy(() -> decode(Object.class, bytes(0xc5, 0x82, 0x1b, 0x80, 0, 0, 0, 0, 0, 0, 0, 0x01)))
                .as("bigfloat, exponent above 2^63").isInstanceOf(CodecException.class).hasMessageContaining("exponent beyond +/-400");
    }

    @Test
    void textThatIsNotWellFormedUtf8IsRefused() {
        for (String text : List.of("", "plain", "caf\u00e9", "\u20ac 5", "\ud83d\ude00", "\udbff\udfff", "\u0800\uffff")) {
            assertThat(roundTrip(String.class, text)).as(text).isEqualTo(text);
        }
        int[][] bad = { { 0x80 }, { 0xc0, 0xaf }, { 0xc1, 0xbf }, { 0xe0, 0x80, 0xaf }, { 0xed, 0xa0, 0x80 }, { 0xed, 0xbf, 0xbf },
            { 0xf0, 0x8f, 0xbf, 0xbf }, { 0xf4, 0x90, 0x80, 0x80 }, { 0xf5, 0x80, 0x80, 0x80 }, { 0xff }, { 0xe2, 0x82 },
            { 0x41, 0xc3 }, { 0xe2, 0x28, 0xa1 }, { 0xf6, 0xf6, 0xf6, 0xf6 } };
        for (int[] utf8 : bad) {
            int[] cbor = new int[utf8.length + 1];
            cbor[0] = 0x60 + utf8.length; // a text string of that many bytes
            System.arraycopy(utf8, 0, cbor, 1, utf8.length);
            assertThatThrownBy(() -> decode(String.class, bytes(cbor))).as(Arrays.toString(utf8)).isInstanceOf(CodecException.class)
                .hasMessageContaining("a text string that is not well-formed UTF-8 (at byte");
        }
        // found by fuzzing: an untyped list holding such a string could not be written again
        assertThatThrownBy(() -> decode(Object.class, bytes(0x9f, 0x64, 0xf6, 0xf6, 0xf6, 0xf6, 0xa0, 0xff)))
            .isInstanceOf(CodecException.class).hasMessageContaining("not well-formed UTF-8 (at byte 2)");
        assertThatThrownBy(() -> decode(String.class, bytes(0x7f, 0x61, 0x41, 0x62, 0xed, 0xa0, 0xff))).as("in a chunk")
            .isInstanceOf(CodecException.class).hasMessageContaining("not well-formed UTF-8 (at byte 4)");
    }

    @Test
    void aNotANumberReadAsABigNumberIsACodecError() {
        // found by fuzzing: Jackson threw NumberFormatException, which escaped the codec
        byte[] nan = bytes(0xfb, 0xff, 0xff, 0x08, 0xf9, 0xff, 0x00, 0x00, 0x08);
        assertThatThrownBy(() -> decode(BigInteger.class, nan)).isInstanceOf(CodecException.class).hasMessageContaining("cannot decode");
        assertThatThrownBy(() -> decode(BigDecimal.class, nan)).isInstanceOf(CodecException.class).hasMessageContaining("cannot decode");
        assertThatThrownBy(() -> decode(BigDecimal.class, bytes(0xf9, 0x7c, 0x00))).as("infinity, half precision")
            .isInstanceOf(CodecException.class);
    }

    @Test
    void aTinyDoubleReadAsABigDecimalIsEncodedWithinTheLimit() {
        // found by fuzzing: the float64 0x0900000000000000 read as a BigDecimal has an exponent of -261,
        // which the limit of 256 refused when the value was sent on
        BigDecimal tiny = (BigDecimal) decode(BigDecimal.class, bytes(0xfb, 0x09, 0, 0, 0, 0, 0, 0, 0));
        assertThat(tiny.scale()).isGreaterThan(256);
        assertThat(roundTrip(BigDecimal.class, tiny)).isEqualTo(tiny);
        BigDecimal smallest = BigDecimal.valueOf(Double.MIN_VALUE);
        assertThat(roundTrip(BigDecimal.class, smallest)).isEqualTo(smallest);
        BigDecimal largest = BigDecimal.valueOf(-Double.MAX_VALUE);
        assertThat(roundTrip(BigDecimal.class, largest)).isEqualTo(largest);
    }

    @Test
    void numbersLongerThan1000DigitsAreRefused() {
        byte[] bignum = new byte[1005];
        bignum[0] = (byte) 0xc2;
        bignum[1] = 0x59;
        bignum[2] = 0x03;
        bignum[3] = (byte) 0xe9; // 1001 bytes of magnitude follow
        Arrays.fill(bignum, 4, bignum.length, (byte) 0x7f);
        assertThatThrownBy(() -> decode(BigInteger.class, bignum)).isInstanceOf(CodecException.class)
                .hasMessageContaining("Number value length (1001) exceeds the maximum allowed (1000");
    }

    @Test
    void ourOwnEncodingsOfEveryKindStillDecode() {
        Map<String, Long> tags = new LinkedHashMap<>();
        tags.put("a", 1L);
        tags.put("b", Long.MIN_VALUE);
        Point p = new Point("p", List.of(1, -2, 300_000), tags);
        assertThat(roundTrip(Point.class, p)).isEqualTo(p);
        assertThat(roundTrip(BigDecimal.class, new BigDecimal("-12345678901234567890.000123"))).isEqualTo(new BigDecimal("-12345678901234567890.000123"));
        assertThat(roundTrip(BigDecimal.class, new BigDecimal("1E+256"))).isEqualTo(new BigDecimal("1E+256"));
        assertThat(roundTrip(BigInteger.class, BigInteger.TWO.pow(3000).negate())).isEqualTo(BigInteger.TWO.pow(3000).negate());
        assertThat(roundTrip(double.class, 1.5e300)).isEqualTo(1.5e300);
        assertThat(roundTrip(String.class, "x".repeat(100_000))).isEqualTo("x".repeat(100_000));
        Object deep = 1;
        for (int i = 0; i < 128; i++) {
            deep = List.of(deep);
        }
        assertThat(roundTrip(Object.class, deep)).isEqualTo(deep);
    }

    @Test
    void indefiniteLengthItemsFromOtherEncodersDecode() {
        // [_ "a" (_ "b" "c"), {_ "k": 1}]
        byte[] cbor = bytes(0x9f, 0x61, 'a', 0x7f, 0x61, 'b', 0x61, 'c', 0xff, 0xbf, 0x61, 'k', 0x01, 0xff, 0xff);
        assertThat(decode(Object.class, cbor)).isEqualTo(List.of("a", "bc", Map.of("k", 1)));
    }

    @Test
    void malformedStructureIsRefusedWithWhereItStopped() {
        assertThatThrownBy(() -> decode(Object.class, bytes(0x9b, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff)))
                .hasMessageContaining("an array of 9223372036854775807 entries with 0 bytes left (at byte 0)");
        assertThatThrownBy(() -> decode(Object.class, bytes(0xbb, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01)))
                .hasMessageContaining("a map of 18446744073709551615 entries with 1 bytes left (at byte 0)");
        assertThatThrownBy(() -> decode(String.class, bytes(0x7a, 0x7f, 0xff, 0xff, 0xff, 0x61)))
                .hasMessageContaining("a string of 2147483647 bytes with 1 bytes left (at byte 0)");
        assertThatThrownBy(() -> decode(Integer.class, bytes(0x01, 0x02))).hasMessageContaining("1 bytes after the value (at byte 1)");
        assertThatThrownBy(() -> decode(Object.class, bytes(0x82, 0x01, 0x1a))).hasMessageContaining("the value is truncated (at byte 2)");
        assertThatThrownBy(() -> decode(Object.class, bytes(0x82, 0x01))).hasMessageContaining("an array of 2 entries with 1 bytes left (at byte 0)");
        assertThatThrownBy(() -> decode(Object.class, bytes(0x1a, 0x01))).hasMessageContaining("the value is truncated (at byte 0)");
        assertThatThrownBy(() -> decode(Object.class, bytes(0xc6))).hasMessageContaining("the value is truncated (at byte 1)");
        assertThatThrownBy(() -> decode(Object.class, bytes(0x1c))).hasMessageContaining("malformed initial byte 0x1c (at byte 0)");
        assertThatThrownBy(() -> decode(Object.class, bytes(0xd7, 0xeb))).hasMessageContaining("the unassigned simple value 11 (at byte 1)");
        assertThatThrownBy(() -> decode(Object.class, bytes(0xf8, 0xff))).hasMessageContaining("the unassigned simple value 255 (at byte 0)");
        assertThat(decode(Object.class, bytes(0x83, 0xf4, 0xf5, 0xf6))).isEqualTo(java.util.Arrays.asList(false, true, null));
        assertThatThrownBy(() -> decode(Object.class, bytes(0x1f))).hasMessageContaining("malformed initial byte 0x1f (at byte 0)");
        assertThatThrownBy(() -> decode(Object.class, bytes(0xff))).hasMessageContaining("a break (0xff) where no indefinite-length item is open");
        assertThatThrownBy(() -> decode(Object.class, bytes(0x9f, 0xc6, 0xff))).hasMessageContaining("a break (0xff) where no");
        assertThatThrownBy(() -> decode(String.class, bytes(0x7f, 0x41, 'a', 0xff))).hasMessageContaining("a chunk that is not a definite string");
        assertThat(catchMessage(() -> decode(Object.class, bytes(0x82, 0x01))))
                .startsWith("cannot decode [simple type, class java.lang.Object]: ");
    }

    @Test
    void stringsAndValuesAboveTheFrameSizeAreRefused() {
        Codecs small = new Codecs(1024);
        byte[] text = new byte[2003];
        text[0] = 0x79;
        text[1] = 0x07;
        text[2] = (byte) 0xd0;
        Arrays.fill(text, 3, text.length, (byte) 'a');
        ByteBuf buf = Unpooled.wrappedBuffer(text);
        try {
            assertThatThrownBy(() -> small.forType(String.class).decode(buf)).isInstanceOf(CodecException.class)
                    .hasMessageContaining("exceeds the maximum allowed (1024");
        }
        finally {
            buf.release();
        }
    }

    /**
     * Decode time grows linearly with the input for the shapes a peer controls: 16 times the input
     * takes well under 16 x 4 times the CPU time (a quadratic cost, like tags before the limit, takes
     * 256 times). Prints the table recorded in docs/reliability.md.
     */
    @Test
    void decodeTimeIsLinearInTheInput() {
            /** A shape of input; {@code make} gives about that many bytes of it. */
        record Shape(String name, Type type, java.util.function.IntFunction<byte[]> make) {
        }
        List<Shape> shapes = List.of(
                new Shape("ints in an array", new TypeReference<List<Integer>>() { }.getType(), n -> array(n / 3, bytes(0x19, 0x12, 0x34))),
                new Shape("4 tags on each int", new TypeReference<List<Integer>>() { }.getType(),
                        n -> array(n / 5, bytes(0xc6, 0xc6, 0xc6, 0xc6, 0x01))),
                new Shape("128-deep arrays", Object.class, n -> array(n / 128, nested(127, 0x81, bytes(0x01)))),
                new Shape("decimals 1E+256 as BigInteger", new TypeReference<List<BigInteger>>() { }.getType(),
                        n -> array(n / 6, bytes(0xc4, 0x82, 0x19, 0x01, 0x00, 0x01))),
                new Shape("one long string", String.class, CodecLimitsTests::string));
        StringBuilder table = new StringBuilder("| input | 64 KiB | 256 KiB | 1 MiB |\n|---|---|---|---|\n");
        for (Shape shape : shapes) {
            long[] nanos = new long[3];
            int[] sizes = { 64 * 1024, 256 * 1024, 1024 * 1024 };
            byte[] warmUp = shape.make().apply(sizes[1]);
            bestOf(3, () -> decode(shape.type(), warmUp));
            for (int i = 0; i < sizes.length; i++) {
                byte[] input = shape.make().apply(sizes[i]);
                nanos[i] = bestOf(3, () -> decode(shape.type(), input));
            }
            table.append("| ").append(shape.name()).append(" | ");
            for (long n : nanos) {
                table.append(String.format("%.2f ms | ", n / 1e6));
            }
            table.append('\n');
            assertThat(nanos[2]).as(shape.name() + ": time for 16 times the input, against " + nanos[0] + " ns")
                    .isLessThan(64 * nanos[0] + 50_000_000L);
        }
        System.out.println(table);
    }

    /** The least CPU time of this thread over {@code runs} runs: what other processes and the collector do is not counted. */
    private static long bestOf(int runs, Runnable r) {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long best = Long.MAX_VALUE;
        for (int i = 0; i < runs; i++) {
            long t = threads.getCurrentThreadCpuTime();
            r.run();
            best = Math.min(best, threads.getCurrentThreadCpuTime() - t);
        }
        return best;
    }

    private static String catchMessage(Runnable r) {
        try {
            r.run();
            return null;
        }
        catch (CodecException ex) {
            return ex.getMessage();
        }
    }

    static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    static byte[] nested(int levels, int open, byte[] inner) {
        return nested(levels, bytes(open), inner);
    }

    static byte[] nested(int levels, byte[] open, byte[] inner) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < levels; i++) {
            out.writeBytes(open);
        }
        out.writeBytes(inner);
        if (open[0] == (byte) 0x9f) {
            for (int i = 0; i < levels; i++) {
                out.write(0xff);
            }
        }
        return out.toByteArray();
    }

    /** A definite array of {@code count} copies of {@code item}. */
    static byte[] array(int count, byte[] item) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(bytes(0x9a, count >>> 24, count >>> 16, count >>> 8, count));
        for (int i = 0; i < count; i++) {
            out.writeBytes(item);
        }
        return out.toByteArray();
    }

    static byte[] string(int length) {
        byte[] b = new byte[5 + length];
        b[0] = 0x7a;
        b[1] = (byte) (length >>> 24);
        b[2] = (byte) (length >>> 16);
        b[3] = (byte) (length >>> 8);
        b[4] = (byte) length;
        Arrays.fill(b, 5, b.length, (byte) 'a');
        return b;
    }
}
