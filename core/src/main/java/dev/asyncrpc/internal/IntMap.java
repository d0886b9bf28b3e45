package dev.asyncrpc.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An int-keyed open-addressing map for call tables (not thread-safe: owned by one event loop).
 * Keys are scrambled before probing, so the sequential ids that calls use do not pile up into
 * long clusters (which made removal quadratic with a plain {@code key & mask} index). Key 0 is
 * reserved.
 *
 * @param <V> the value type
 */
public final class IntMap<V> {

    private int[] keys;
    private Object[] values;
    private int size;
    private int mask;

    public IntMap() {
        this.keys = new int[64];
        this.values = new Object[64];
        this.mask = 63;
    }

    public int size() {
        return this.size;
    }

    public boolean isEmpty() {
        return this.size == 0;
    }

    private static int spread(int key) {
        int h = key * 0x9E3779B9;
        return h ^ (h >>> 16);
    }

    @SuppressWarnings("unchecked")
    public V get(int key) {
        int i = spread(key) & this.mask;
        while (true) {
            int k = this.keys[i];
            if (k == key) {
                return (V) this.values[i];
            }
            if (k == 0) {
                return null;
            }
            i = (i + 1) & this.mask;
        }
    }

    public boolean containsKey(int key) {
        return get(key) != null;
    }

    /** Put a non-null value; returns the previous value or null. */
    @SuppressWarnings("unchecked")
    public V put(int key, V value) {
        if (key == 0 || value == null) {
            throw new IllegalArgumentException("key 0 and null values are reserved");
        }
        int i = spread(key) & this.mask;
        while (true) {
            int k = this.keys[i];
            if (k == key) {
                V old = (V) this.values[i];
                this.values[i] = value;
                return old;
            }
            if (k == 0) {
                this.keys[i] = key;
                this.values[i] = value;
                if (++this.size * 2 > this.keys.length) {
                    grow();
                }
                return null;
            }
            i = (i + 1) & this.mask;
        }
    }

    @SuppressWarnings("unchecked")
    public V remove(int key) {
        int i = spread(key) & this.mask;
        while (true) {
            int k = this.keys[i];
            if (k == 0) {
                return null;
            }
            if (k == key) {
                V old = (V) this.values[i];
                shiftBack(i);
                this.size--;
                return old;
            }
            i = (i + 1) & this.mask;
        }
    }

    /** Backward-shift deletion: keeps probe sequences unbroken without tombstones. */
    private void shiftBack(int hole) {
        int i = hole;
        while (true) {
            i = (i + 1) & this.mask;
            int k = this.keys[i];
            if (k == 0) {
                break;
            }
            int home = spread(k) & this.mask;
            // move k into the hole if its home is not cyclically within (hole, i]
            boolean between = (hole <= i) ? (hole < home && home <= i) : (hole < home || home <= i);
            if (!between) {
                this.keys[hole] = k;
                this.values[hole] = this.values[i];
                hole = i;
            }
        }
        this.keys[hole] = 0;
        this.values[hole] = null;
    }

    private void grow() {
        int[] oldKeys = this.keys;
        Object[] oldValues = this.values;
        this.keys = new int[oldKeys.length * 2];
        this.values = new Object[oldKeys.length * 2];
        this.mask = this.keys.length - 1;
        this.size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != 0) {
                putNew(oldKeys[i], oldValues[i]);
            }
        }
    }

    private void putNew(int key, Object value) {
        int i = spread(key) & this.mask;
        while (this.keys[i] != 0) {
            i = (i + 1) & this.mask;
        }
        this.keys[i] = key;
        this.values[i] = value;
        this.size++;
    }

    /** A snapshot of the values. */
    @SuppressWarnings("unchecked")
    public List<V> values() {
        List<V> out = new ArrayList<>(this.size);
        for (int i = 0; i < this.keys.length; i++) {
            if (this.keys[i] != 0) {
                out.add((V) this.values[i]);
            }
        }
        return out;
    }

    /** Remove every entry whose value matches. */
    @SuppressWarnings("unchecked")
    public void removeIf(java.util.function.Predicate<? super V> filter) {
        List<Integer> doomed = new ArrayList<>();
        for (int i = 0; i < this.keys.length; i++) {
            if (this.keys[i] != 0 && filter.test((V) this.values[i])) {
                doomed.add(this.keys[i]);
            }
        }
        for (int key : doomed) {
            remove(key);
        }
    }

    public void clear() {
        Arrays.fill(this.keys, 0);
        Arrays.fill(this.values, null);
        this.size = 0;
    }
}
