package dev.asyncrpc.spring.autoconfigure.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

import org.springframework.security.core.Authentication;

/**
 * Authentications of validated bearer tokens, kept until the token expires (or for at most
 * {@code maxAge}, so that a revoked opaque token is noticed in time), so that a steady caller pays
 * for validation once per token rather than once per call. Bounded: when {@code maxSize} entries
 * are held, expired ones are dropped first, then arbitrary ones. Only successes are cached.
 * Thread-safe and lock-free on the hit path.
 */
final class TokenCache {

    private final int maxSize;

    private final Duration maxAge;

    private final Clock clock;

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    /**
     * The last hit, found again without a lookup when the same token object comes back (the
     * server's metadata reader hands out one string per unchanged value); its expiry is still
     * checked every time. Forgotten when entries are dropped to make room.
     */
    private volatile @Nullable Hit last;

    TokenCache(int maxSize, Duration maxAge, Clock clock) {
        this.maxSize = maxSize;
        this.maxAge = maxAge;
        this.clock = clock;
    }

    /**
     * The authentication of {@code token}, if it was cached and has not expired. Cheap on a hit:
     * one clock read, and one map lookup unless {@code token} is the object of the last hit (a
     * token string that arrives again as the same object, as the server's metadata reader hands out
     * for an unchanged entry).
     * @param token the token, as the cache was given it
     * @return the authentication, or {@code null}
     */
    @Nullable Authentication get(String token) {
        long now = this.clock.millis();
        Hit hit = this.last;
        if (hit != null && hit.token() == token && now < hit.entry().untilMillis()) {
            return hit.entry().authentication(); // the same token object as the last hit: no lookup
        }
        Entry entry = this.entries.get(token);
        if (entry == null) {
            return null;
        }
        if (now >= entry.untilMillis()) {
            this.entries.remove(token, entry);
            return null;
        }
        this.last = new Hit(token, entry);
        return entry.authentication();
    }

    /**
     * Keep what {@code token} authenticated.
     * @param token the token
     * @param authentication what it authenticated
     * @param expiresAt when the token expires, or {@code null} if it does not say
     */
    void put(String token, Authentication authentication, @Nullable Instant expiresAt) {
        if (this.maxSize <= 0) {
            return;
        }
        Instant now = this.clock.instant();
        Instant until = now.plus(this.maxAge);
        if (expiresAt != null && expiresAt.isBefore(until)) {
            until = expiresAt;
        }
        if (!now.isBefore(until)) {
            return;
        }
        if (this.entries.size() >= this.maxSize) {
            makeRoom(now.toEpochMilli());
        }
        this.last = null;
        this.entries.put(token, new Entry(authentication, until.toEpochMilli()));
    }

    int size() {
        return this.entries.size();
    }

    private void makeRoom(long nowMillis) {
        this.last = null;
        this.entries.values().removeIf((e) -> nowMillis >= e.untilMillis());
        int excess = this.entries.size() - (this.maxSize - Math.max(1, this.maxSize / 10));
        Iterator<String> keys = this.entries.keySet().iterator();
        while (excess-- > 0 && keys.hasNext()) {
            keys.next();
            keys.remove();
        }
    }

    /** A token object and its entry. */
    private record Hit(String token, Entry entry) {
    }

    /** What a token authenticated, and the instant (epoch milliseconds) from which it is no longer used. */
    private record Entry(Authentication authentication, long untilMillis) {
    }
}
