package dev.asyncrpc.internal.pipe;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.asyncrpc.PipeInfo;

/**
 * The open pipe ends of one client or server runtime, across its connections: an end registers
 * when it is attached to a call on a connection and leaves when it has ended (sent its end, had its
 * end pulled, or failed). Read by {@code openPipes()} and, later, the Actuator endpoint. Thread-safe.
 */
public final class PipeRegistry {

    private final Set<PipeStats> open = ConcurrentHashMap.newKeySet();

    void add(PipeStats end) {
        this.open.add(end);
    }

    void remove(PipeStats end) {
        this.open.remove(end);
    }

    /** How many ends are open. */
    public int size() {
        return this.open.size();
    }

    /**
     * A snapshot of every open end, ordered by call id and pipe index.
     * @return the snapshot, unmodifiable
     */
    public List<PipeInfo> snapshot() {
        List<PipeInfo> infos = new ArrayList<>(this.open.size());
        for (PipeStats p : this.open) {
            infos.add(p.info());
        }
        infos.sort(Comparator.comparingInt(PipeInfo::callId).thenComparingInt(PipeInfo::index));
        return List.copyOf(infos);
    }
}
