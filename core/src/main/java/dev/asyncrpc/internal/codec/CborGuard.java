package dev.asyncrpc.internal.codec;

import java.nio.ByteBuffer;

/**
 * Walks one encoded CBOR data item in a single linear pass, before Jackson reads it, and refuses
 * what Jackson would read slowly or unboundedly:
 * <ul>
 * <li>arrays and maps nested deeper than {@link #MAX_DEPTH};</li>
 * <li>more than {@link #MAX_TAGS} tags on one data item (Jackson's cost grows with the square of
 * the number of consecutive tags: 800,000 of them took 20 s of CPU);</li>
 * <li>a decimal fraction or bigfloat (tags 4 and 5) whose exponent lies beyond
 * &plusmn;{@link #MAX_DECIMAL_EXPONENT} (reading {@code 1E+1000} as a {@code BigInteger} costs a
 * power of ten per element);</li>
 * <li>a text string that is not well-formed UTF-8 (Jackson would read lone surrogates into a
 * string it cannot write again);</li>
 * <li>a simple value other than false, true, null and undefined (Jackson would hand an untyped
 * target one of its own types);</li>
 * <li>a length or element count larger than the bytes that are left, reserved or misplaced
 * initial bytes, a truncated item, and bytes after the item.</li>
 * </ul>
 * Jackson still checks everything else (types, number and string lengths). The walk keeps one
 * counter per nesting level and nothing per element, so its cost is linear in the input.
 * Stateless; thread-safe.
 */
final class CborGuard {

    /** The deepest nesting of arrays and maps a value may have. */
    static final int MAX_DEPTH = 128;

    /** The most tags one data item may carry. */
    static final int MAX_TAGS = 4;

    /**
     * The largest exponent magnitude of a decimal fraction or bigfloat: every {@code double} read
     * as a {@code BigDecimal} fits (the smallest, 4.9E-324, has an exponent of -325), so a value
     * decoded from a float is encoded again within the limit (fuzzing found that 256 did not hold).
     */
    static final int MAX_DECIMAL_EXPONENT = 400;

    private static final long INDEFINITE = -1;

    private static final int TAG_DECIMAL_FRACTION = 4;

    private static final int TAG_BIGFLOAT = 5;

    /** Decimal tracking: nothing pending, a tag 4 or 5 seen, its array opened (the exponent is next). */
    private static final int NO_DECIMAL = 0;

    private static final int DECIMAL_TAGGED = 1;

    private static final int DECIMAL_EXPONENT = 2;

    private CborGuard() {
    }

    /**
     * Check the CBOR data item in {@code in} between its position and its limit. Does not move the
     * buffer's position. An empty buffer passes (the reader reports it).
     * @throws CodecException naming the limit and the byte offset where the walk stopped
     */
    static void check(ByteBuffer in) {
        int start = in.position();
        int end = in.limit();
        if (start == end) {
            return;
        }
        // left[d]: items still expected at level d (INDEFINITE until a break); chunk[d]: the major type
        // of an indefinite-length string's chunks at level d, else -1
        long[] left = new long[MAX_DEPTH + 2];
        int[] chunk = new int[MAX_DEPTH + 2];
        int depth = 0;
        left[0] = 1;
        chunk[0] = -1;
        int tags = 0;
        int decimal = NO_DECIMAL;
        int pos = start;
        while (true) {
            while (depth > 0 && left[depth] == 0) {
                depth--;
            }
            if (depth == 0 && left[0] == 0) {
                break;
            }
            if (pos >= end) {
                throw refuse("the value is truncated", pos - start);
            }
            int at = pos - start;
            int initial = in.get(pos++) & 0xff;
            int major = initial >>> 5;
            int info = initial & 0x1f;
            if (initial == 0xff) {
                if (left[depth] != INDEFINITE || tags > 0) {
                    throw refuse("a break (0xff) where no indefinite-length item is open", at);
                }
                depth--;
                continue; // the container was counted when it opened
            }
            long arg;
            boolean indefinite = false;
            if (info < 24) {
                arg = info;
            }
            else if (info <= 27) {
                int n = 1 << (info - 24);
                if (end - pos < n) {
                    throw refuse("the value is truncated", at);
                }
                arg = 0;
                for (int i = 0; i < n; i++) {
                    arg = (arg << 8) | (in.get(pos++) & 0xff);
                }
            }
            else if (info == 31 && major >= 2 && major <= 5) {
                arg = 0;
                indefinite = true;
            }
            else {
                throw refuse("malformed initial byte 0x" + Integer.toHexString(initial), at);
            }
            if (chunk[depth] >= 0 && (major != chunk[depth] || indefinite)) {
                throw refuse("an indefinite-length string holds a chunk that is not a definite string of its type", at);
            }
            if (major == 6) {
                if (++tags > MAX_TAGS) {
                    throw refuse("more than " + MAX_TAGS + " tags on one data item", at);
                }
                if (decimal == NO_DECIMAL && (arg == TAG_DECIMAL_FRACTION || arg == TAG_BIGFLOAT)) {
                    decimal = DECIMAL_TAGGED;
                }
                continue; // the tag belongs to the next item
            }
            tags = 0;
            if (left[depth] != INDEFINITE) {
                left[depth]--;
            }
            switch (major) {
                case 0, 1 -> {
                    if (decimal == DECIMAL_EXPONENT) {
                        // major 1 holds -1 - arg: its magnitude is arg + 1 (arg unsigned)
                        long magnitudeLess1 = (major == 0) ? arg - 1 : arg;
                        if (arg < 0 || magnitudeLess1 >= MAX_DECIMAL_EXPONENT) {
                            throw refuse("a decimal fraction or bigfloat with an exponent beyond +/-" + MAX_DECIMAL_EXPONENT, at);
                        }
                    }
                    decimal = NO_DECIMAL;
                }
                case 2, 3 -> {
                    decimal = NO_DECIMAL;
                    if (indefinite) {
                        depth = push(left, chunk, depth, INDEFINITE, major, at);
                    }
                    else {
                        if (arg < 0 || arg > end - pos) {
                            throw refuse("a string of " + Long.toUnsignedString(arg) + " bytes with " + (end - pos) + " bytes left", at);
                        }
                        if (major == 3) {
                            int bad = firstInvalidUtf8(in, pos, pos + (int) arg);
                            if (bad >= 0) {
                                throw refuse("a text string that is not well-formed UTF-8", bad - start);
                            }
                        }
                        pos += (int) arg;
                    }
                }
                case 4, 5 -> {
                    long items = INDEFINITE;
                    if (!indefinite) {
                        long most = (major == 4) ? (end - pos) : (end - pos) / 2; // every item takes a byte at least
                        if (arg < 0 || arg > most) {
                            throw refuse(((major == 4) ? "an array of " : "a map of ") + Long.toUnsignedString(arg) + " entries with "
                                    + (end - pos) + " bytes left", at);
                        }
                        items = (major == 4) ? arg : 2 * arg;
                    }
                    decimal = (decimal == DECIMAL_TAGGED && major == 4 && !indefinite && arg == 2) ? DECIMAL_EXPONENT : NO_DECIMAL;
                    if (depth >= MAX_DEPTH) {
                        throw refuse("arrays and maps nested deeper than " + MAX_DEPTH + " levels", at);
                    }
                    if (items != 0) {
                        depth = push(left, chunk, depth, items, -1, at);
                    }
                }
                default -> {
                    // 7: simple values and floats; the argument bytes were skipped above. Jackson hands
                    // unassigned simple values to an untyped target as its own CBORSimpleValue type
                    if (info < 20 || info == 24) {
                        throw refuse("the unassigned simple value " + arg, at);
                    }
                    decimal = NO_DECIMAL;
                }
            }
        }
        if (tags > 0) {
            throw refuse("the value is truncated", pos - start);
        }
        if (pos != end) {
            throw refuse((end - pos) + " bytes after the value", pos - start);
        }
    }

    /**
     * Where the bytes {@code [from, to)} stop being well-formed UTF-8 (RFC 3629: no overlong forms,
     * no surrogates, nothing above U+10FFFF, no truncated sequence), or -1 if they are. Jackson
     * would otherwise read such bytes into a string with lone surrogates that it cannot write
     * again (found by fuzzing).
     */
    static int firstInvalidUtf8(ByteBuffer in, int from, int to) {
        int i = from;
        while (i < to) {
            int b = in.get(i);
            if (b >= 0) {
                i++;
                continue;
            }
            b &= 0xff;
            int n;
            int lo = 0x80;
            int hi = 0xbf;
            if (b >= 0xc2 && b <= 0xdf) {
                n = 1;
            }
            else if (b >= 0xe0 && b <= 0xef) {
                n = 2;
                lo = (b == 0xe0) ? 0xa0 : 0x80; // 0xe0: no overlong form
                hi = (b == 0xed) ? 0x9f : 0xbf; // 0xed: no surrogate
            }
            else if (b >= 0xf0 && b <= 0xf4) {
                n = 3;
                lo = (b == 0xf0) ? 0x90 : 0x80; // 0xf0: no overlong form
                hi = (b == 0xf4) ? 0x8f : 0xbf; // 0xf4: nothing above U+10FFFF
            }
            else {
                return i;
            }
            if (to - i <= n) {
                return i;
            }
            int second = in.get(i + 1) & 0xff;
            if (second < lo || second > hi) {
                return i;
            }
            for (int k = 2; k <= n; k++) {
                int next = in.get(i + k) & 0xff;
                if (next < 0x80 || next > 0xbf) {
                    return i;
                }
            }
            i += n + 1;
        }
        return -1;
    }

    private static int push(long[] left, int[] chunk, int depth, long items, int chunkMajor, int at) {
        int d = depth + 1;
        if (d >= left.length) {
            throw refuse("arrays and maps nested deeper than " + MAX_DEPTH + " levels", at);
        }
        left[d] = items;
        chunk[d] = chunkMajor;
        return d;
    }

    private static CodecException refuse(String what, int at) {
        return new CodecException(what + " (at byte " + at + ")", null);
    }
}
