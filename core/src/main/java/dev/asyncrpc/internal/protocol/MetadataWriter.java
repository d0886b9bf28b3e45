package dev.asyncrpc.internal.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.netty.buffer.ByteBuf;

/**
 * Writes CALL metadata blocks (the format of {@link Frames#writeMetadata}) for one client method,
 * remembering the encoding of the entries of the blocks before: an entry equal to the remembered
 * entry at the same position is copied from its remembered bytes instead of being encoded again.
 * A caller that sends the same metadata on every call (a bearer token) thus pays for its UTF-8
 * encoding once. The first {@link #POSITIONS} entry positions are remembered; later ones are
 * encoded every time. Thread-safe: calls may be encoded on several threads at once; each
 * remembered entry is immutable, and a position being replaced by two threads at once only costs
 * one of them a later re-encoding.
 */
public final class MetadataWriter {

    /** How many entry positions are remembered. */
    static final int POSITIONS = 16;

    /** The remembered entries; elements are replaced whole (their fields are final). */
    private final Entry[] entries = new Entry[POSITIONS];

    /**
     * Write a metadata block: its u16 length, then its entries.
     * @param out where to write
     * @param metadata the entries
     * @param maxBytes the largest block allowed (and never more than 0xFFFF)
     * @throws IllegalArgumentException if the block exceeds {@code maxBytes}
     */
    public void write(ByteBuf out, Map<String, String> metadata, int maxBytes) {
        int at = out.writerIndex();
        out.writeShort(0);
        int position = 0;
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            String key = e.getKey();
            String value = e.getValue();
            if (position < POSITIONS) {
                Entry entry = this.entries[position];
                if (entry == null || !entry.is(key, value)) {
                    entry = Entry.of(key, value);
                    this.entries[position] = entry;
                }
                out.writeBytes(entry.bytes());
            }
            else {
                Frames.writeEntry(out, key, value);
            }
            position++;
        }
        Frames.checkMetadataSize(out.writerIndex() - at - 2, maxBytes);
        out.setShort(at, out.writerIndex() - at - 2);
    }

    /** One entry and its bytes ({@code keyLength key valueLength value}). */
    private record Entry(String key, String value, byte[] bytes) {

        static Entry of(String key, String value) {
            byte[] k = key.getBytes(StandardCharsets.UTF_8);
            byte[] v = value.getBytes(StandardCharsets.UTF_8);
            byte[] bytes = new byte[4 + k.length + v.length];
            bytes[0] = (byte) (k.length >>> 8);
            bytes[1] = (byte) k.length;
            System.arraycopy(k, 0, bytes, 2, k.length);
            bytes[2 + k.length] = (byte) (v.length >>> 8);
            bytes[3 + k.length] = (byte) v.length;
            System.arraycopy(v, 0, bytes, 4 + k.length, v.length);
            return new Entry(key, value, bytes);
        }

        boolean is(String otherKey, String otherValue) {
            return this.key.equals(otherKey) && this.value.equals(otherValue);
        }

        @Override
        public String toString() {
            return "metadata entry '" + this.key + "'"; // values may be credentials
        }
    }
}
