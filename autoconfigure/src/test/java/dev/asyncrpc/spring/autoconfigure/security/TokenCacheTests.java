package dev.asyncrpc.spring.autoconfigure.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.Authentication;

import static org.assertj.core.api.Assertions.assertThat;

class TokenCacheTests {

    private final MutableClock clock = new MutableClock();

    private final Authentication alice = new TestingAuthenticationToken("alice", null, "SCOPE_read");

    @Test
    void keepsATokenUntilItExpires() {
        TokenCache cache = new TokenCache(100, Duration.ofMinutes(5), this.clock);
        cache.put("t1", this.alice, this.clock.instant().plusSeconds(30));
        assertThat(cache.get("t1")).isSameAs(this.alice);
        this.clock.advance(Duration.ofSeconds(29));
        assertThat(cache.get("t1")).isSameAs(this.alice);
        this.clock.advance(Duration.ofSeconds(1));
        assertThat(cache.get("t1")).isNull();
        assertThat(cache.size()).isZero();
    }

    @Test
    void aTokenCachedAgainAfterItExpiredGivesItsNewAuthentication() {
        TokenCache cache = new TokenCache(100, Duration.ofMinutes(5), this.clock);
        Authentication again = new TestingAuthenticationToken("alice", null, "SCOPE_write");
        cache.put("t1", this.alice, this.clock.instant().plusSeconds(1));
        assertThat(cache.get("t1")).isSameAs(this.alice);
        this.clock.advance(Duration.ofSeconds(1));
        assertThat(cache.get("t1")).isNull();
        cache.put("t1", again, null);
        assertThat(cache.get("t1")).isSameAs(again);
        assertThat(cache.get("t1")).isSameAs(again);
    }

    @Test
    void findsAnEqualTokenThatIsAnotherStringObject() {
        TokenCache cache = new TokenCache(100, Duration.ofMinutes(5), this.clock);
        cache.put("t1", this.alice, null);
        assertThat(cache.get("t1")).isSameAs(this.alice);
        assertThat(cache.get(new String("t1"))).isSameAs(this.alice);
        assertThat(cache.get("t2")).isNull();
    }

    @Test
    void keepsATokenNoLongerThanMaxAge() {
        TokenCache cache = new TokenCache(100, Duration.ofSeconds(10), this.clock);
        cache.put("t1", this.alice, this.clock.instant().plus(Duration.ofHours(1)));
        cache.put("t2", this.alice, null);
        this.clock.advance(Duration.ofSeconds(10));
        assertThat(cache.get("t1")).isNull();
        assertThat(cache.get("t2")).isNull();
    }

    @Test
    void doesNotKeepAnExpiredToken() {
        TokenCache cache = new TokenCache(100, Duration.ofSeconds(10), this.clock);
        cache.put("old", this.alice, this.clock.instant().minusSeconds(1));
        assertThat(cache.size()).isZero();
    }

    @Test
    void staysBoundedDroppingExpiredEntriesFirst() {
        TokenCache cache = new TokenCache(10, Duration.ofMinutes(5), this.clock);
        for (int i = 0; i < 5; i++) {
            cache.put("short" + i, this.alice, this.clock.instant().plusSeconds(1));
        }
        for (int i = 0; i < 5; i++) {
            cache.put("long" + i, this.alice, null);
        }
        this.clock.advance(Duration.ofSeconds(2));
        cache.put("new", this.alice, null);
        assertThat(cache.size()).isEqualTo(6);
        for (int i = 0; i < 5; i++) {
            assertThat(cache.get("long" + i)).isSameAs(this.alice);
        }
        for (int i = 0; i < 1000; i++) {
            cache.put("many" + i, this.alice, null);
            assertThat(cache.size()).isLessThanOrEqualTo(10);
        }
        assertThat(cache.get("many999")).isSameAs(this.alice);
    }

    @Test
    void sizeZeroCachesNothing() {
        TokenCache cache = new TokenCache(0, Duration.ofMinutes(5), this.clock);
        cache.put("t1", this.alice, null);
        assertThat(cache.get("t1")).isNull();
    }

    static final class MutableClock extends Clock {

        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            this.now = this.now.plus(d);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return this.now;
        }
    }
}
