package dev.asyncrpc.internal.pipe;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import dev.asyncrpc.PipeInfo;
import dev.asyncrpc.PipeTotals;

/**
 * The open pipe ends of one client or server runtime, across its connections: an end registers
 * when it is attached to a call on a connection and leaves when it has ended (sent its end, had its
 * end pulled, or failed). Read by {@code openPipes()} and the Actuator endpoint. It also keeps the
 * cumulative {@link #totals() totals} of every end it has seen: an end's final counters are added
 * when it leaves, so nothing is counted per element here. Thread-safe.
 */
public final class PipeRegistry {

    private final Set<PipeStats> open = ConcurrentHashMap.newKeySet();

    /** The final counters of the ends that have left: in elements, in bytes, out elements, out bytes, stalled nanos. */
    private final AtomicLong endedInElements = new AtomicLong();

    private final AtomicLong endedInBytes = new AtomicLong();

    private final AtomicLong endedOutElements = new AtomicLong();

    private final AtomicLong endedOutBytes = new AtomicLong();

    private final AtomicLong endedStalledNanos = new AtomicLong();

    private final AtomicLong opened = new AtomicLong();

    /** Guards {@link #reported}, the highest totals returned so far (keeps readings monotonic). */
    private final Object totalsLock = new Object();

    private long[] reported = new long[5];

    void add(PipeStats end) {
        if (this.open.add(end)) {
            this.opened.incrementAndGet();
        }
    }

    /** Set once the runtime has closed: an end that would linger with unread data is released instead. */
    private boolean closed;

    /**
     * Put {@code now} in the place of {@code old} (an end whose call ended with unread data, see
     * {@link UnreadPipe}) without counting {@code old} as ended: {@code now} carries its counters.
     * @return {@code false} if the runtime has closed ({@code old} then leaves as ended and
     *         {@code now} is not registered)
     */
    synchronized boolean replace(PipeStats old, PipeStats now) {
        if (this.closed) {
            remove(old);
            return false;
        }
        if (this.open.remove(old)) {
            this.open.add(now);
        }
        return true;
    }

    /**
     * The runtime closed (after its connections): release the data of ends whose call ended while
     * nobody had pulled it, and release any that would linger later.
     * @param why for a reader that pulls after this
     */
    public void close(String why) {
        List<UnreadPipe> unread = new ArrayList<>();
        synchronized (this) {
            this.closed = true;
            for (PipeStats p : this.open) {
                if (p instanceof UnreadPipe u) {
                    unread.add(u);
                }
            }
        }
        for (UnreadPipe u : unread) {
            u.close(why);
        }
    }

    void remove(PipeStats end) {
        // out of the open set first, then into the ended totals: a reader that sees the totals
        // never also sees the end as open (it may briefly miss it; totals() hides that dip)
        if (this.open.remove(end)) {
            PipeInfo last = end.info();
            if (last.direction() == PipeInfo.Direction.IN) {
                this.endedInElements.addAndGet(last.elements());
                this.endedInBytes.addAndGet(last.bytes());
            }
            else {
                this.endedOutElements.addAndGet(last.elements());
                this.endedOutBytes.addAndGet(last.bytes());
            }
            this.endedStalledNanos.addAndGet(last.stalled().toNanos());
        }
    }

    /** How many ends are open. */
    public synchronized int size() {
        return this.open.size();
    }

    /**
     * A snapshot of every open end, ordered by call id and pipe index. The set of ends is copied
     * under the lock of {@link #replace}, so that an end being replaced by its {@link UnreadPipe}
     * shows once, as one or the other, never as both or neither; their counters are read after, out
     * of that lock (an end replaces itself while it holds its own lock).
     * @return the snapshot, unmodifiable
     */
    public List<PipeInfo> snapshot() {
        List<PipeStats> ends;
        synchronized (this) {
            ends = new ArrayList<>(this.open);
        }
        List<PipeInfo> infos = new ArrayList<>(ends.size());
        for (PipeStats p : ends) {
            infos.add(p.info());
        }
        infos.sort(Comparator.comparingInt(PipeInfo::callId).thenComparingInt(PipeInfo::index));
        return List.copyOf(infos);
    }

    /**
     * The cumulative totals: the ends that have left plus the ends open now. Costs one pass over
     * the open ends. Never smaller than a total returned before.
     * @return the totals
     */
    public PipeTotals totals() {
        long opened = this.opened.get();
        long[] now = { this.endedInElements.get(), this.endedInBytes.get(), this.endedOutElements.get(),
                this.endedOutBytes.get(), this.endedStalledNanos.get() };
        for (PipeStats p : this.open) {
            PipeInfo info = p.info();
            int base = (info.direction() == PipeInfo.Direction.IN) ? 0 : 2;
            now[base] += info.elements();
            now[base + 1] += info.bytes();
            now[4] += info.stalled().toNanos();
        }
        synchronized (this.totalsLock) {
            for (int i = 0; i < now.length; i++) {
                now[i] = Math.max(now[i], this.reported[i]);
            }
            this.reported = now;
        }
        return new PipeTotals(now[0], now[1], now[2], now[3], Duration.ofNanos(now[4]), opened);
    }
}
