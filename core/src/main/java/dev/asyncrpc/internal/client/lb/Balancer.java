package dev.asyncrpc.internal.client.lb;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import dev.asyncrpc.internal.transport.Endpoint;

/**
 * The endpoints of one balanced target and the choice among them.
 * <ul>
 * <li>{@link #pick} chooses by the power of two choices: two members drawn at random among those
 *     whose connection is ready, the one with fewer calls in progress wins. It never blocks and
 *     takes no lock.</li>
 * <li>{@link #maintain} (called every few tens of milliseconds by one background thread) opens a
 *     connection to every member that has none, so that a new endpoint takes calls as soon as its
 *     handshake is done; drops connections that failed or received GOAWAY and tries again after
 *     an exponential {@link Backoff}; closes the connections of removed members once their calls
 *     have finished.</li>
 * <li>{@link #update} replaces the set of endpoints (after a resolution).</li>
 * </ul>
 *
 * @param <C> the connection type
 */
public final class Balancer<C> {

    /** What the balancer needs from connections. */
    public interface Connector<C> {

        /** Open a connection (asynchronously: it may still be connecting when this returns). */
        C connect(Endpoint endpoint);

        /** Whether the connection is open, past its handshake and not going away. */
        boolean isReady(C connection);

        /** Whether the connection is open (or opening) and not going away. */
        boolean isUsable(C connection);

        /** Close the connection; its outstanding calls fail. */
        void close(C connection, String reason);
    }

    private final Connector<C> connector;
    private final Backoff backoff;
    private volatile Member<C>[] members;
    /** Removed members whose connection still carries calls (maintenance thread, under this). */
    private final List<Member<C>> retired = new ArrayList<>();

    @SuppressWarnings("unchecked")
    public Balancer(Connector<C> connector, Backoff backoff) {
        this.connector = connector;
        this.backoff = backoff;
        this.members = new Member[0];
    }

    /**
     * The current members.
     * @return a snapshot
     */
    public List<Member<C>> members() {
        return List.of(this.members);
    }

    /**
     * Whether new calls may go to {@code m}: not removed, with a ready connection.
     * @param m the member
     * @return whether it is eligible
     */
    public boolean isEligible(Member<C> m) {
        C c = m.connection;
        return c != null && !m.removed && this.connector.isReady(c);
    }

    /**
     * Choose the member for a call: power of two choices on calls in progress among the eligible
     * members, avoiding {@code avoid} (where a previous attempt was refused) while another is
     * eligible. Any thread; no lock.
     * @param avoid a member to avoid, or {@code null}
     * @return the member, or {@code null} if no member is eligible
     */
    public Member<C> pick(Member<C> avoid) {
        Member<C>[] ms = this.members;
        int n = ms.length;
        if (n == 0) {
            return null;
        }
        if (n == 1) {
            return isEligible(ms[0]) ? ms[0] : null;
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int i = random.nextInt(n);
        int j = random.nextInt(n - 1);
        if (j >= i) {
            j++;
        }
        Member<C> a = ms[i];
        Member<C> b = ms[j];
        boolean okA = a != avoid && isEligible(a);
        boolean okB = b != avoid && isEligible(b);
        if (okA && okB) {
            return (a.pending() <= b.pending()) ? a : b;
        }
        if (okA) {
            return a;
        }
        if (okB) {
            return b;
        }
        // both draws missed: the least loaded eligible member, if any
        Member<C> best = null;
        for (Member<C> m : ms) {
            if (m != avoid && isEligible(m) && (best == null || m.pending() < best.pending())) {
                best = m;
            }
        }
        if (best == null && avoid != null && isEligible(avoid)) {
            best = avoid;
        }
        return best;
    }

    /**
     * When no member is eligible: the member whose connection is still being opened (calls wait
     * for its handshake), or else the member whose next connection attempt is due first, connected
     * now regardless of its backoff. Any thread.
     * @param avoid a member to avoid while another exists, or {@code null}
     * @return the member (with a connection), or {@code null} if there are no members
     */
    public Member<C> fallback(Member<C> avoid) {
        Member<C>[] ms = this.members;
        Member<C> opening = null;
        Member<C> soonest = null;
        for (Member<C> m : ms) {
            if (m == avoid && ms.length > 1) {
                continue;
            }
            C c = m.connection;
            if (c != null && this.connector.isUsable(c)) {
                if (opening == null || m.pending() < opening.pending()) {
                    opening = m;
                }
            }
            else if (soonest == null || m.retryAtNanos - soonest.retryAtNanos < 0) {
                soonest = m;
            }
        }
        if (opening != null) {
            return opening;
        }
        if (soonest == null) {
            return null;
        }
        connectNow(soonest);
        return soonest;
    }

    /**
     * The connection calls to {@code m} use now, opening one if it has none. Any thread.
     * @param m the member
     * @return the connection
     */
    public C connectionOf(Member<C> m) {
        C c = m.connection;
        if (c != null && this.connector.isUsable(c)) {
            return c;
        }
        return connectNow(m);
    }

    private C connectNow(Member<C> m) {
        synchronized (m) {
            C c = m.connection;
            if (c == null || !this.connector.isUsable(c)) {
                c = this.connector.connect(m.endpoint());
                m.connection = c;
                m.readySeen = false;
            }
            return c;
        }
    }

    /**
     * Replace the endpoints: new ones become members (and are connected by the next
     * {@link #maintain}), missing ones are removed: they take no new call from now on, and their
     * connections close once their calls have finished.
     * @param endpoints the endpoints now
     * @return the endpoints added and removed, for logs
     */
    @SuppressWarnings("unchecked")
    public synchronized Change update(Collection<Endpoint> endpoints) {
        Map<Endpoint, Member<C>> current = new LinkedHashMap<>();
        for (Member<C> m : this.members) {
            current.put(m.endpoint(), m);
        }
        List<Member<C>> next = new ArrayList<>();
        List<Endpoint> added = new ArrayList<>();
        for (Endpoint e : new LinkedHashSet<>(endpoints)) {
            Member<C> m = current.remove(e);
            if (m == null) {
                m = new Member<>(e);
                added.add(e);
            }
            next.add(m);
        }
        List<Endpoint> removed = new ArrayList<>();
        for (Member<C> m : current.values()) {
            m.removed = true;
            removed.add(m.endpoint());
            this.retired.add(m);
        }
        if (!added.isEmpty() || !removed.isEmpty()) {
            this.members = next.toArray(new Member[0]);
        }
        return new Change(added, removed);
    }

    /** Endpoints added and removed by an {@link #update}. */
    public record Change(List<Endpoint> added, List<Endpoint> removed) {

        public boolean isEmpty() {
            return this.added.isEmpty() && this.removed.isEmpty();
        }
    }

    /**
     * One round of connection upkeep (see the class comment). One background thread.
     */
    public synchronized void maintain() {
        long now = System.nanoTime();
        for (Member<C> m : this.members) {
            synchronized (m) {
                C c = m.connection;
                if (c != null) {
                    if (this.connector.isReady(c)) {
                        m.readySeen = true;
                        m.failures = 0;
                        continue;
                    }
                    if (this.connector.isUsable(c)) {
                        continue; // still connecting
                    }
                    // failed, closed or going away: no new calls; reconnect after a backoff
                    m.failures = m.readySeen ? 1 : m.failures + 1;
                    m.readySeen = false;
                    m.connection = null;
                    m.retryAtNanos = now + this.backoff.delayNanos(m.failures);
                    continue;
                }
                if (now - m.retryAtNanos >= 0) {
                    m.connection = this.connector.connect(m.endpoint());
                }
            }
        }
        for (int i = this.retired.size() - 1; i >= 0; i--) {
            Member<C> m = this.retired.get(i);
            C c = m.connection;
            if (c == null || !this.connector.isUsable(c)) {
                this.retired.remove(i);
            }
            else if (m.pending() == 0) {
                this.connector.close(c, m.endpoint() + " is no longer an endpoint of this client's address");
                m.connection = null;
                this.retired.remove(i);
            }
        }
    }

    /** Close every connection (the client is closing). */
    public synchronized void close(String reason) {
        for (Member<C> m : this.members) {
            C c = m.connection;
            if (c != null) {
                this.connector.close(c, reason);
            }
        }
        for (Member<C> m : this.retired) {
            C c = m.connection;
            if (c != null) {
                this.connector.close(c, reason);
            }
        }
        this.retired.clear();
    }
}
