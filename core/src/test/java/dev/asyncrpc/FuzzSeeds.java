package dev.asyncrpc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.asyncrpc.test.RawConnection;

/**
 * Seeds for the fuzzers, made of the golden frames of {@link GoldenFrameTests} and
 * {@link PipeGoldenFrameTests} (what real peers send) and a few frames in the same style: each
 * connection seed is the byte stream a client sends on one connection, HELLO first. The committed
 * corpus files ({@code *FuzzTestsInputs/<target>/seed-*}) are these bytes; {@link #main} rewrites
 * them and {@code FuzzSeedsTests} checks that they have not drifted. Services: {@code calc}
 * ({@code test.PlainCalc}) and {@code p} ({@code test.FuzzPipes}).
 */
public final class FuzzSeeds {

    static final String HELLO = GoldenFrameTests.HELLO;

    /** HELLO with a 1 KiB pipe window (setting 3). */
    static final String HELLO_SMALL_WINDOW = HELLO.replace("0003 00100000", "0003 00000400");

    static final String PING = "0000000e 30 00 00000000 0000000000000007";

    static final String PONG = "0000000e 31 00 00000000 0000000000000007";

    static final String CANCEL_ABORTIVE = "00000007 13 00 00000001 00";

    static final String CANCEL_GRACEFUL = "00000007 13 00 00000001 01";

    static final String GOAWAY = "0000000e 32 00 00000000 00000000 0003 0000";

    /** calc/add(1, 2) with a deadline of 0 ms and ordering key 7. */
    static final String CALL_ADD_DEADLINE_CAUSAL = "00000023 10 03 00000001 0008 63616c632f616464 00000000 00000007 02 00000001 01 00000001 02";

    /** calc/echo("ab") with the metadata {"k": "v"}. */
    static final String CALL_ECHO_METADATA = "00000021 10 04 00000001 0009 63616c632f6563686f 0006 0001 6b 0001 76 01 00000003 626162";

    /** calc/items({"a": 1}). */
    static final String CALL_ITEMS = "0000001b 10 00 00000001 000a 63616c632f6974656d73 01 00000004 a1616101";

    /** calc/echo(tag 6 (tag 6 (... "a"))): five tags, one too many. */
    static final String CALL_ECHO_TAGS = "0000001d 10 00 00000001 0009 63616c632f6563686f 01 00000007 c6c6c6c6c66161";

    /** p/sum as call 1, its pipe carrying the int 1 then 0xff (no CBOR data item), then its end. */
    static final String CALL_SUM = "0000000e 10 00 00000001 0005 702f73756d 00";

    static final String PIPE_DATA_1_BAD = "00000013 20 00 00000001 00 0002 00000001 01 00000001 ff";

    /** Named connection seeds: HELLO, then what a client might send. */
    public static Map<String, byte[]> connections() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("add", HELLO + GoldenFrameTests.CALL_ADD);
        s.put("fail", HELLO + GoldenFrameTests.CALL_FAIL);
        s.put("touch-null", HELLO + GoldenFrameTests.CALL_TOUCH_NULL);
        s.put("add-deadline-causal", HELLO + CALL_ADD_DEADLINE_CAUSAL);
        s.put("echo-metadata", HELLO + CALL_ECHO_METADATA);
        s.put("add-same-metadata", HELLO + MetadataReuseTests.CALL_ADD_METADATA_1 + MetadataReuseTests.CALL_ADD_SAME_METADATA_2);
        s.put("items", HELLO + CALL_ITEMS);
        s.put("echo-tags", HELLO + CALL_ECHO_TAGS);
        s.put("ping-add-cancel", HELLO + PING + GoldenFrameTests.CALL_ADD + CANCEL_GRACEFUL + PONG);
        s.put("up", HELLO + PipeGoldenFrameTests.CALL_UP + PipeGoldenFrameTests.PIPE_DATA_1_2 + PipeGoldenFrameTests.PIPE_END_0);
        s.put("up-aborted", HELLO + PipeGoldenFrameTests.CALL_UP + PipeGoldenFrameTests.PIPE_END_ABORTED);
        s.put("down", HELLO + PipeGoldenFrameTests.CALL_DOWN);
        s.put("down-credit", HELLO + PipeGoldenFrameTests.CALL_DOWN + PipeGoldenFrameTests.CREDIT_516);
        s.put("bytes", HELLO + PipeGoldenFrameTests.CALL_BYTES + PipeGoldenFrameTests.PIPE_DATA_509 + PipeGoldenFrameTests.PIPE_END_0);
        s.put("hold-overrun", HELLO_SMALL_WINDOW + PipeGoldenFrameTests.CALL_HOLD + PipeGoldenFrameTests.PIPE_DATA_509
                + PipeGoldenFrameTests.PIPE_DATA_509 + PipeGoldenFrameTests.PIPE_DATA_509);
        s.put("hold-cancel", HELLO + PipeGoldenFrameTests.CALL_HOLD + PipeGoldenFrameTests.PIPE_DATA_509 + CANCEL_ABORTIVE
                + PipeGoldenFrameTests.PIPE_END_0);
        s.put("sum-bad-element", HELLO + CALL_SUM + PIPE_DATA_1_BAD + PipeGoldenFrameTests.PIPE_END_0);
        s.put("up-then-goaway", HELLO + PipeGoldenFrameTests.CALL_UP + PipeGoldenFrameTests.PIPE_DATA_1_2 + GOAWAY);
        Map<String, byte[]> out = new LinkedHashMap<>();
        s.forEach((name, hex) -> out.put(name, RawConnection.hex(hex)));
        return out;
    }

    /** Every distinct valid frame of the seeds, HELLO included, for splicing. */
    public static List<byte[]> frames() {
        List<String> hex = List.of(HELLO, HELLO_SMALL_WINDOW, PING, PONG, CANCEL_ABORTIVE, CANCEL_GRACEFUL, GOAWAY,
                GoldenFrameTests.CALL_ADD, GoldenFrameTests.CALL_FAIL, GoldenFrameTests.CALL_TOUCH_NULL, CALL_ADD_DEADLINE_CAUSAL,
                CALL_ECHO_METADATA, MetadataReuseTests.CALL_ADD_METADATA_1, MetadataReuseTests.CALL_ADD_SAME_METADATA_2, CALL_ITEMS, CALL_ECHO_TAGS, CALL_SUM, PIPE_DATA_1_BAD,
                PipeGoldenFrameTests.CALL_UP, PipeGoldenFrameTests.PIPE_DATA_1_2, PipeGoldenFrameTests.PIPE_END_0,
                PipeGoldenFrameTests.PIPE_END_ABORTED, PipeGoldenFrameTests.CALL_DOWN, PipeGoldenFrameTests.CREDIT_516,
                PipeGoldenFrameTests.CALL_BYTES, PipeGoldenFrameTests.PIPE_DATA_509, PipeGoldenFrameTests.CALL_HOLD);
        List<byte[]> out = new ArrayList<>();
        for (String h : hex) {
            out.add(RawConnection.hex(h));
        }
        return out;
    }

    /** CBOR values for the argument codec target: the arguments of the seeds and a few more. */
    public static Map<String, byte[]> values() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("int", "01");
        s.put("text", "6161");
        s.put("map", "a1616101");
        s.put("record", "a2646e616d65617865636f756e7418ff");
        s.put("array-indefinite", "9f0102ff");
        s.put("bignum", "c249010000000000000000");
        s.put("decimal", "c4822219ffff");
        s.put("tags", "c6c6c6c6c66161");
        s.put("nested", "8181818181818101");
        s.put("float", "fb3ff8000000000000");
        Map<String, byte[]> out = new LinkedHashMap<>();
        s.forEach((name, hex) -> out.put(name, RawConnection.hex(hex)));
        return out;
    }

    /** The inputs directory of fuzz target {@code method} of test class {@code className} under {@code resources}. */
    static Path inputs(Path resources, String className, String method) {
        int dot = className.lastIndexOf('.');
        return resources.resolve(className.substring(0, dot).replace('.', '/')).resolve(className.substring(dot + 1) + "Inputs").resolve(method);
    }

    /** Write the seed files: {@code args[0]} is {@code core/src/test/resources}. */
    public static void main(String[] args) throws IOException {
        Path resources = Path.of(args.length > 0 ? args[0] : "core/src/test/resources");
        for (Map.Entry<String, Path> target : targets(resources).entrySet()) {
            Files.createDirectories(target.getValue());
            Map<String, byte[]> seeds = target.getKey().startsWith("values") ? values() : connections();
            for (Map.Entry<String, byte[]> seed : seeds.entrySet()) {
                Files.write(target.getValue().resolve("seed-" + seed.getKey()), seed.getValue());
            }
        }
    }

    /** The fuzz targets that take seeds, by kind ({@code connections...} or {@code values...}). */
    static Map<String, Path> targets(Path resources) {
        Map<String, Path> t = new LinkedHashMap<>();
        t.put("connections-frames", inputs(resources, "dev.asyncrpc.internal.protocol.FrameDecoderFuzzTests", "frames"));
        t.put("connections-server", inputs(resources, "dev.asyncrpc.internal.server.ServerConnectionFuzzTests", "connection"));
        t.put("values", inputs(resources, "dev.asyncrpc.internal.codec.ValueCodecFuzzTests", "decode"));
        return t;
    }

    private FuzzSeeds() {
    }
}
