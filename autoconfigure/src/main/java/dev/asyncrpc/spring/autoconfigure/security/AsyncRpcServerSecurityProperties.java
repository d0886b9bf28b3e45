package dev.asyncrpc.spring.autoconfigure.security;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Security settings of the asyncrpc server, under {@code asyncrpc.server.security}: which
 * operations anonymous callers may call, rules on authorities and certificate subjects, and the
 * cache of validated tokens.
 */
@ConfigurationProperties("asyncrpc.server.security")
public class AsyncRpcServerSecurityProperties {

    /** Whether to authenticate and authorize every call once Spring Security's resource-server support, a ServerCallAuthenticator bean, rules or an AuthorizationManager<ServerCall> bean are configured. */
    private boolean enabled = true;

    /** Operations anonymous callers may call: 'service/operation' or 'service/*'; every other operation needs an authenticated caller. */
    private List<String> permit = new ArrayList<>();

    /** Rules on callers, the first whose operations match a call decides: operations ('service/operation' or 'service/*'), authorities (the caller needs one of them, such as SCOPE_admin) and subjects (the TLS client certificate subject must be one of them). */
    private List<Rule> rules = new ArrayList<>();

    /** Cache of validated bearer tokens. */
    private final TokenCacheSettings tokenCache = new TokenCacheSettings();

    public boolean isEnabled() {
        return this.enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public List<String> getPermit() {
        return this.permit;
    }

    public void setPermit(List<String> permit) {
        for (int i = 0; i < permit.size(); i++) {
            OperationPattern.parse("asyncrpc.server.security.permit[" + i + "]", permit.get(i));
        }
        this.permit = permit;
    }

    public List<Rule> getRules() {
        return this.rules;
    }

    public void setRules(List<Rule> rules) {
        this.rules = rules;
    }

    public TokenCacheSettings getTokenCache() {
        return this.tokenCache;
    }

    /** One authorization rule. */
    public static class Rule {

        /** Operations the rule applies to: 'service/operation' or 'service/*'. */
        private List<String> operations = new ArrayList<>();

        /** Authorities of which the caller needs at least one (such as SCOPE_admin); any authenticated caller when empty. */
        private List<String> authorities = new ArrayList<>();

        /** TLS client certificate subjects (such as 'CN=orders,O=Example') of which the caller's must be one; any when empty. */
        private List<String> subjects = new ArrayList<>();

        public List<String> getOperations() {
            return this.operations;
        }

        public void setOperations(List<String> operations) {
            this.operations = operations;
        }

        public List<String> getAuthorities() {
            return this.authorities;
        }

        public void setAuthorities(List<String> authorities) {
            this.authorities = authorities;
        }

        public List<String> getSubjects() {
            return this.subjects;
        }

        public void setSubjects(List<String> subjects) {
            this.subjects = subjects;
        }
    }

    /** Settings of the cache of validated bearer tokens. */
    public static class TokenCacheSettings {

        /** Most validated tokens kept; 0 validates every call's token. */
        private int maxSize = 10_000;

        /** Longest time a validated token is kept, even if it expires later, so that revoked opaque tokens are noticed. */
        private Duration maxAge = Duration.ofMinutes(5);

        public int getMaxSize() {
            return this.maxSize;
        }

        public void setMaxSize(int maxSize) {
            if (maxSize < 0) {
                throw new IllegalArgumentException("asyncrpc.server.security.token-cache.max-size: " + maxSize + " (expected: >= 0)");
            }
            this.maxSize = maxSize;
        }

        public Duration getMaxAge() {
            return this.maxAge;
        }

        public void setMaxAge(Duration maxAge) {
            if (maxAge == null || maxAge.isNegative() || maxAge.isZero()) {
                throw new IllegalArgumentException("asyncrpc.server.security.token-cache.max-age: " + maxAge + " (expected: a positive duration)");
            }
            this.maxAge = maxAge;
        }
    }
}
