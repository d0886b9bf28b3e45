package dev.asyncrpc;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import dev.asyncrpc.test.RawConnection;

/**
 * Makes the byte stream of one hostile connection from the valid frames of {@link FuzzSeeds}:
 * HELLO (usually intact), then the frames of calls as the seeds send them (each call with a new
 * call id), of which a share is mutated by bit flips, length changes, truncation, type swaps, flag
 * and call id changes, byte overwrites, insertions, a valid frame out of place, duplication and
 * splices of two frames. Deterministic for a given {@link Random}. Not thread-safe: one per thread.
 */
final class FrameMutator {

    /** The kinds of mutation, counted by the caller. */
    enum Kind {
        BIT_FLIP, LENGTH, TRUNCATE, TYPE_SWAP, FLAGS, CALL_ID, OVERWRITE, INSERT, FOREIGN, DUPLICATE, SPLICE
    }

    private static final int[] TYPE_CODES = { 0x01, 0x02, 0x10, 0x11, 0x12, 0x13, 0x20, 0x21, 0x22, 0x30, 0x31, 0x32 };

    private static final byte[] INTERESTING = { 0x00, (byte) 0xff, 0x7f, (byte) 0x80, 0x01, (byte) 0xc6, (byte) 0x9f, 0x1b };

    private final List<byte[]> pool = FuzzSeeds.frames();

    private final byte[][] hellos = { RawConnection.hex(FuzzSeeds.HELLO), RawConnection.hex(FuzzSeeds.HELLO_SMALL_WINDOW) };

    /**
     * The seeds' calls, without those that end the connection: a GOAWAY, or a CREDIT beyond what was
     * received (a seed's CREDIT comes unasked); {@link #pick()} adds such frames less often.
     */
    private final List<List<byte[]>> scripts = FuzzSeeds.connections().values().stream().map(FrameMutator::script)
            .filter(frames -> frames.stream().noneMatch(f -> f[4] == 0x32 || f[4] == 0x22)).toList();

    private final Random random;

    private final long[] counts = new long[Kind.values().length];

    private long frames;

    private long mutated;

    FrameMutator(Random random) {
        this.random = random;
    }

    /** Frames made so far. */
    long frames() {
        return this.frames;
    }

    /** Mutated frames made so far. */
    long mutated() {
        return this.mutated;
    }

    /** Mutations applied so far, by kind. */
    long count(Kind kind) {
        return this.counts[kind.ordinal()];
    }

    /**
     * The stream of one connection: HELLO then {@code count} frames, each mutated with probability
     * {@code rate} (HELLO with a tenth of it).
     */
    byte[] connection(int count, double rate) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] hello = this.hellos[this.random.nextInt(this.hellos.length)].clone();
        out.writeBytes(this.random.nextDouble() < rate / 10 ? mutate(hello, 0) : hello);
        this.frames++;
        int lastCall = 0;
        int made = 0;
        while (made < count) {
            List<byte[]> step = this.scripts.get(this.random.nextInt(this.scripts.size())); // a call and its frames, as a client sends them
            int callId = ++lastCall;
            for (byte[] original : step) {
                byte[] frame = original.clone();
                if (ByteBuffer.wrap(frame).getInt(6) != 0) {
                    ByteBuffer.wrap(frame).putInt(6, callId);
                }
                if (this.random.nextDouble() < rate) {
                    frame = mutate(frame, lastCall);
                }
                out.writeBytes(frame);
                this.frames++;
                made++;
            }
        }
        return out.toByteArray();
    }

    /** The frames of a connection seed after its HELLO. */
    private static List<byte[]> script(byte[] seed) {
        List<byte[]> frames = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(seed);
        b.position(4 + b.getInt(0)); // after HELLO
        while (b.hasRemaining()) {
            byte[] frame = new byte[4 + b.getInt(b.position())];
            b.get(frame);
            frames.add(frame);
        }
        return frames;
    }

    /** A frame of the pool; the ones that end a connection (a second HELLO, GOAWAY) less often. */
    private byte[] pick() {
        while (true) {
            byte[] frame = this.pool.get(this.random.nextInt(this.pool.size()));
            boolean ending = frame[4] == 0x01 || frame[4] == 0x32 || frame[4] == 0x22;
            if (!ending || this.random.nextInt(20) == 0) {
                return frame;
            }
        }
    }

    private byte[] mutate(byte[] frame, int lastCall) {
        this.mutated++;
        Kind kind = Kind.values()[this.random.nextInt(Kind.values().length)];
        this.counts[kind.ordinal()]++;
        Random r = this.random;
        ByteBuffer b = ByteBuffer.wrap(frame);
        switch (kind) {
            case BIT_FLIP -> {
                for (int n = 1 + r.nextInt(3); n > 0; n--) {
                    int bit = r.nextInt(frame.length * 8);
                    frame[bit / 8] ^= (byte) (1 << (bit % 8));
                }
                return frame;
            }
            case LENGTH -> {
                int length = b.getInt(0);
                int choice = r.nextInt(4);
                b.putInt(0, switch (choice) {
                    case 0 -> length + r.nextInt(7) - 3;
                    case 1 -> r.nextInt(6);
                    case 2 -> r.nextInt(70_000);
                    default -> -1;
                });
                return frame;
            }
            case TRUNCATE -> {
                return Arrays.copyOf(frame, r.nextInt(frame.length));
            }
            case TYPE_SWAP -> {
                frame[4] = (byte) (r.nextInt(4) == 0 ? r.nextInt(256) : TYPE_CODES[r.nextInt(TYPE_CODES.length)]);
                return frame;
            }
            case FLAGS -> {
                frame[5] = (byte) r.nextInt(256);
                return frame;
            }
            case CALL_ID -> {
                b.putInt(6, switch (r.nextInt(3)) {
                    case 0 -> 0;
                    case 1 -> 1 + r.nextInt(16);
                    default -> r.nextInt();
                });
                return frame;
            }
            case OVERWRITE -> {
                for (int n = 1 + r.nextInt(3); n > 0; n--) {
                    int at = 4 + r.nextInt(frame.length - 4);
                    frame[at] = r.nextBoolean() ? INTERESTING[r.nextInt(INTERESTING.length)] : (byte) r.nextInt(256);
                }
                return frame;
            }
            case INSERT -> {
                int at = 10 + r.nextInt(frame.length - 9);
                byte[] extra = new byte[1 + r.nextInt(16)];
                r.nextBytes(extra);
                byte[] longer = new byte[frame.length + extra.length];
                System.arraycopy(frame, 0, longer, 0, at);
                System.arraycopy(extra, 0, longer, at, extra.length);
                System.arraycopy(frame, at, longer, at + extra.length, frame.length - at);
                if (r.nextBoolean()) {
                    ByteBuffer.wrap(longer).putInt(0, longer.length - 4); // keep the framing
                }
                return longer;
            }
            case FOREIGN -> {
                byte[] other = pick().clone(); // a valid frame out of place: for a call of another kind, a second HELLO...
                if (ByteBuffer.wrap(other).getInt(6) != 0) {
                    ByteBuffer.wrap(other).putInt(6, Math.max(1, lastCall - r.nextInt(3)));
                }
                return other;
            }
            case DUPLICATE -> {
                byte[] twice = Arrays.copyOf(frame, frame.length * 2);
                System.arraycopy(frame, 0, twice, frame.length, frame.length);
                return twice;
            }
            default -> {
                byte[] other = this.pool.get(r.nextInt(this.pool.size()));
                int cut = r.nextInt(frame.length + 1);
                int from = r.nextInt(other.length + 1);
                byte[] spliced = new byte[cut + other.length - from];
                System.arraycopy(frame, 0, spliced, 0, cut);
                System.arraycopy(other, from, spliced, cut, other.length - from);
                if (spliced.length >= 4 && r.nextBoolean()) {
                    ByteBuffer.wrap(spliced).putInt(0, spliced.length - 4);
                }
                return spliced;
            }
        }
    }

    /**
     * Zero bytes that complete the last frame of {@code stream} as a server would split it, so that
     * a frame sent after them is read as a frame; none if the server stops reading before the end
     * (a length outside 6..{@code maxFrameSize}).
     */
    static byte[] completion(byte[] stream, int maxFrameSize) {
        ByteArrayOutputStream pad = new ByteArrayOutputStream();
        long pos = 0;
        long total = stream.length;
        while (true) {
            if (total - pos < 4) {
                if (total == pos) {
                    return pad.toByteArray();
                }
                int missing = (int) (4 - (total - pos));
                pad.writeBytes(new byte[missing]); // the length field ends in zeros
                total += missing;
            }
            long length = lengthAt(stream, pad.toByteArray(), pos);
            if (length < 6 || length > maxFrameSize) {
                return pad.toByteArray();
            }
            long end = pos + 4 + length;
            if (end > total) {
                pad.writeBytes(new byte[(int) (end - total)]);
                return pad.toByteArray();
            }
            pos = end;
        }
    }

    private static long lengthAt(byte[] stream, byte[] pad, long pos) {
        long v = 0;
        for (int i = 0; i < 4; i++) {
            long at = pos + i;
            int b = (at < stream.length) ? stream[(int) at] & 0xff : pad[(int) (at - stream.length)] & 0xff;
            v = (v << 8) | b;
        }
        return v;
    }
}
