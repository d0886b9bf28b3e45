package dev.asyncrpc.spring.autoconfigure.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.security.oauth2.client.AuthorizedClientServiceOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.ClientCredentialsOAuth2AuthorizedClientProvider;
import org.springframework.security.oauth2.client.InMemoryOAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.OAuth2AuthorizeRequest;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.core.OAuth2AccessToken;

/**
 * Access tokens of one OAuth2 client registration (client-credentials grant), for the calls of
 * asyncrpc clients. Tokens are fetched through an {@link OAuth2AuthorizedClientManager} on this
 * source's own thread, never on the calling thread when a token is at hand, and renewed in the
 * background once 80% of their lifetime has passed (or 2 s before expiry, if earlier), so steady callers never wait. A caller waits
 * (at most the fetch timeout) only when no unexpired token is there: at the first call, or after
 * renewals failed for the whole remaining lifetime. Failed fetches are retried with backoff.
 *
 * <p>Thread-safe. Tokens are never logged; failures are logged with the registration id and the
 * authorization server's error only.
 */
final class OAuth2TokenSource implements Supplier<String>, AutoCloseable {

    private static final Log logger = LogFactory.getLog(OAuth2TokenSource.class);

    /** The principal name the client-credentials grant is requested for. */
    static final String PRINCIPAL = "asyncrpc-client";

    /** A token is not sent in its last second: it could expire on the way. */
    private static final Duration SAFETY = Duration.ofSeconds(1);

    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final OAuth2AuthorizedClientManager manager;

    private final String registrationId;

    private final Duration fetchTimeout;

    private final Clock clock;

    private final ScheduledExecutorService thread;

    private volatile @Nullable Token current;

    // guarded by this
    private @Nullable CompletableFuture<Token> fetching;

    private int failures;

    private final java.util.concurrent.atomic.AtomicInteger fetched = new java.util.concurrent.atomic.AtomicInteger();

    private boolean closed;

    OAuth2TokenSource(OAuth2AuthorizedClientManager manager, String registrationId, Duration fetchTimeout, Clock clock) {
        this.manager = manager;
        this.registrationId = registrationId;
        this.fetchTimeout = fetchTimeout;
        this.clock = clock;
        this.thread = Executors.newSingleThreadScheduledExecutor((r) -> {
            Thread t = new Thread(r, "asyncrpc-oauth2-" + registrationId);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * A manager that fetches a new token of a client-credentials registration whenever asked: the
     * token source decides when to ask (renewal before expiry), so the provider's clock skew is
     * set so large that it never hands back a stored token.
     * @param registrations the client registrations
     * @return the manager
     */
    static OAuth2AuthorizedClientManager clientCredentialsManager(ClientRegistrationRepository registrations) {
        ClientCredentialsOAuth2AuthorizedClientProvider provider = new ClientCredentialsOAuth2AuthorizedClientProvider();
        provider.setClockSkew(Duration.ofDays(365));
        AuthorizedClientServiceOAuth2AuthorizedClientManager manager = new AuthorizedClientServiceOAuth2AuthorizedClientManager(
                registrations, new InMemoryOAuth2AuthorizedClientService(registrations));
        manager.setAuthorizedClientProvider(provider);
        return manager;
    }

    /** Start fetching the first token, so that the first call is likely to find one. */
    void prefetch() {
        fetch();
    }

    /**
     * The current access token.
     * @return the token value
     * @throws IllegalStateException if no unexpired token could be had within the fetch timeout,
     *         with the reason (never the token)
     */
    @Override
    public String get() {
        Token token = this.current;
        Instant now = this.clock.instant();
        if (token != null && token.usable(now)) {
            if (token.renewDue(now)) {
                fetch();
            }
            return token.value();
        }
        CompletableFuture<Token> pending = fetch();
        try {
            return pending.get(this.fetchTimeout.toMillis(), TimeUnit.MILLISECONDS).value();
        }
        catch (TimeoutException ex) {
            throw new IllegalStateException("no access token from OAuth2 client registration '" + this.registrationId + "' within "
                    + this.fetchTimeout.toMillis() + " ms");
        }
        catch (ExecutionException ex) {
            throw new IllegalStateException("no access token from OAuth2 client registration '" + this.registrationId + "': "
                    + ex.getCause().getMessage(), ex.getCause());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for an access token of OAuth2 client registration '"
                    + this.registrationId + "'");
        }
    }

    /** Start a fetch unless one is running; the future completes with the new token. */
    private synchronized CompletableFuture<Token> fetch() {
        if (this.fetching != null) {
            return this.fetching;
        }
        if (this.closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("the asyncrpc clients are closed"));
        }
        CompletableFuture<Token> future = new CompletableFuture<>();
        this.fetching = future;
        this.thread.execute(() -> complete(future));
        return future;
    }

    private void complete(CompletableFuture<Token> future) {
        Token token;
        try {
            token = authorize();
        }
        catch (RuntimeException ex) {
            Duration retry = failed();
            logger.warn("Could not get an access token of OAuth2 client registration '" + this.registrationId + "' (retrying in "
                    + retry.toMillis() + " ms): " + ex.getMessage());
            synchronized (this) {
                this.fetching = null;
            }
            future.completeExceptionally(ex);
            schedule(retry);
            return;
        }
        this.current = token;
        this.fetched.incrementAndGet();
        synchronized (this) {
            this.failures = 0;
            this.fetching = null;
        }
        future.complete(token);
        if (token.renewAt() != null) {
            schedule(Duration.between(this.clock.instant(), token.renewAt()));
        }
        if (logger.isDebugEnabled()) {
            logger.debug("Access token of OAuth2 client registration '" + this.registrationId + "' fetched"
                    + ((token.expiresAt() != null) ? ", expires at " + token.expiresAt() : ""));
        }
    }

    private Token authorize() {
        OAuth2AuthorizeRequest request = OAuth2AuthorizeRequest.withClientRegistrationId(this.registrationId).principal(PRINCIPAL).build();
        OAuth2AuthorizedClient client = this.manager.authorize(request);
        if (client == null || client.getAccessToken() == null) {
            throw new IllegalStateException("the OAuth2AuthorizedClientManager gave no access token for registration '" + this.registrationId
                    + "' (is its authorization-grant-type client_credentials?)");
        }
        OAuth2AccessToken accessToken = client.getAccessToken();
        Instant now = this.clock.instant();
        Instant issued = (accessToken.getIssuedAt() != null) ? accessToken.getIssuedAt() : now;
        Instant expires = accessToken.getExpiresAt();
        Instant renewAt = null;
        if (expires != null) {
            Duration lifetime = Duration.between(issued, expires);
            renewAt = issued.plus(lifetime.multipliedBy(4).dividedBy(5));
            Instant late = expires.minus(SAFETY.multipliedBy(2));
            if (late.isBefore(renewAt)) {
                renewAt = late.isAfter(issued.plus(lifetime.dividedBy(2))) ? late : issued.plus(lifetime.dividedBy(2));
            }
            if (renewAt.isBefore(now)) {
                renewAt = now;
            }
        }
        return new Token(accessToken.getTokenValue(), expires, renewAt);
    }

    private synchronized Duration failed() {
        this.failures++;
        long millis = Math.min(MAX_BACKOFF.toMillis(), 500L << Math.min(this.failures, 10));
        return Duration.ofMillis(millis);
    }

    private void schedule(Duration delay) {
        synchronized (this) {
            if (this.closed) {
                return;
            }
        }
        this.thread.schedule(() -> {
            fetch();
        }, Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
    }

    /**
     * How many tokens were fetched so far.
     * @return the count
     */
    int fetched() {
        return this.fetched.get();
    }

    @Override
    public void close() {
        synchronized (this) {
            this.closed = true;
        }
        this.thread.shutdownNow();
    }

    @Override
    public String toString() {
        return "OAuth2TokenSource[registration=" + this.registrationId + "]";
    }

    /** A token, when it expires and when to renew it (both {@code null} for a token without expiry). */
    private record Token(String value, @Nullable Instant expiresAt, @Nullable Instant renewAt) {

        boolean usable(Instant now) {
            return this.expiresAt == null || now.isBefore(this.expiresAt.minus(SAFETY));
        }

        boolean renewDue(Instant now) {
            return this.renewAt != null && !now.isBefore(this.renewAt);
        }

        @Override
        public String toString() {
            return "Token[expiresAt=" + this.expiresAt + "]";
        }
    }
}
