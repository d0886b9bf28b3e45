package dev.asyncrpc.internal.protocol;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.netty.buffer.ByteBuf;

/**
 * Reads the CALL metadata blocks of one connection (the format of {@link Frames#readMetadata}),
 * remembering the entries of the blocks before: an entry whose bytes equal the remembered entry at
 * the same position is not decoded again but given the same {@code String}s, and a block whose
 * entries are all unchanged is given the same (unmodifiable) map. A caller that sends the same
 * metadata on every call (a bearer token, a tenant) thus costs a byte comparison per call instead
 * of new strings, and the strings keep their cached hash codes for the lookups that follow.
 * The block is copied into an array kept for the next one; the comparison is then an array
 * comparison.
 * Entries are compared byte for byte, so what a call sees is exactly what it sent.
 *
 * <p>Remembers the first {@link #POSITIONS} entry positions of a block; later entries are decoded
 * every time. Not thread-safe: one per connection, used on its event loop. The strings and maps it
 * returns are immutable and may be handed to other threads.
 */
public final class MetadataReader {

    /** How many entry positions are remembered. */
    static final int POSITIONS = 16;

    /** The bytes of each remembered entry ({@code keyLength key valueLength value}), or {@code null}. */
    private final byte[][] raw = new byte[POSITIONS][];

    private final String[] keys = new String[POSITIONS];

    private final String[] values = new String[POSITIONS];

    /** The map of the last block, and how many entries it had. */
    private Map<String, String> last = Map.of();

    private int lastCount = -1;

    /** The block being read, copied out of its buffer (grown to the largest block seen). */
    private byte[] scratch = new byte[256];

    /**
     * Read the entries of a metadata block, which is all of {@code block}'s readable bytes.
     * @param block the entries (consumed)
     * @return the metadata, unmodifiable
     * @throws ProtocolException if an entry's length runs past the block
     */
    public Map<String, String> read(ByteBuf block) {
        int size = block.readableBytes();
        if (this.scratch.length < size) {
            this.scratch = new byte[Math.max(size, this.scratch.length * 2)];
        }
        byte[] b = this.scratch;
        block.readBytes(b, 0, size);
        int at = 0;
        int count = 0;
        boolean changed = false;
        List<String> overflow = null;
        while (at < size) {
            int start = at;
            int keyLength = length(b, at, size);
            at += 2 + keyLength;
            int valueLength = length(b, at, size);
            at += 2 + valueLength;
            if (count < POSITIONS) {
                byte[] remembered = this.raw[count];
                if (remembered == null || !Arrays.equals(b, start, at, remembered, 0, remembered.length)) {
                    changed = true;
                    this.keys[count] = new String(b, start + 2, keyLength, StandardCharsets.UTF_8);
                    this.values[count] = new String(b, start + 4 + keyLength, valueLength, StandardCharsets.UTF_8);
                    this.raw[count] = Arrays.copyOfRange(b, start, at);
                }
            }
            else {
                changed = true;
                if (overflow == null) {
                    overflow = new ArrayList<>();
                }
                overflow.add(new String(b, start + 2, keyLength, StandardCharsets.UTF_8));
                overflow.add(new String(b, start + 4 + keyLength, valueLength, StandardCharsets.UTF_8));
            }
            count++;
        }
        if (!changed && count == this.lastCount) {
            return this.last;
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < Math.min(count, POSITIONS); i++) {
            m.put(this.keys[i], this.values[i]);
        }
        if (overflow != null) {
            for (int i = 0; i < overflow.size(); i += 2) {
                m.put(overflow.get(i), overflow.get(i + 1));
            }
        }
        Map<String, String> result = (count == 0) ? Map.of() : Collections.unmodifiableMap(m);
        this.last = result;
        this.lastCount = count;
        return result;
    }

    /**
     * The metadata of a CALL flagged {@link Frames#CALL_SAME_METADATA}: that of the last block read
     * (the previous CALL on the connection that carried one, see {@link CallMetadataReuse}).
     * @param flags the CALL's flags
     * @param negotiated whether both sides announced {@code METADATA_REUSE}
     * @return the metadata, unmodifiable
     * @throws ProtocolException if reuse was not negotiated, the CALL also carries a block, or no
     *         block was read before on this connection
     */
    public Map<String, String> same(int flags, boolean negotiated) {
        if (!negotiated) {
            throw new ProtocolException("call", "CALL reuses the previous metadata, but METADATA_REUSE was not negotiated");
        }
        if ((flags & Frames.CALL_METADATA) != 0) {
            throw new ProtocolException("call", "CALL both carries metadata and reuses the previous metadata");
        }
        if (this.lastCount < 0) {
            throw new ProtocolException("call", "CALL reuses the previous metadata, but no CALL carried metadata before on this connection");
        }
        return this.last;
    }

    /** The u16 length at {@code at}, checked against the {@code size} bytes of the block. */
    private static int length(byte[] b, int at, int size) {
        if (size - at < 2) {
            throw new ProtocolException("call", "CALL metadata entry truncated");
        }
        int length = ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
        if (length > size - at - 2) {
            throw new ProtocolException("call", "CALL metadata entry length " + length + " exceeds the metadata block");
        }
        return length;
    }
}
