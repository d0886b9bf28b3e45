package dev.asyncrpc.spring.autoconfigure.security;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;

/**
 * The access-token sources of the OAuth2 client registrations that asyncrpc clients use, one per
 * registration (shared by the services that name it), started when first named and closed with the
 * context.
 */
final class OAuth2ClientTokens implements ClientCredentials.OAuth2Sources, DisposableBean {

    private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(10);

    private final ClientRegistrationRepository registrations;

    private final OAuth2AuthorizedClientManager manager;

    private final Map<String, OAuth2TokenSource> sources = new ConcurrentHashMap<>();

    OAuth2ClientTokens(ClientRegistrationRepository registrations, OAuth2AuthorizedClientManager manager) {
        this.registrations = registrations;
        this.manager = manager;
    }

    @Override
    public Supplier<String> source(String property, String registrationId) {
        if (this.registrations.findByRegistrationId(registrationId) == null) {
            throw new InvalidConfigurationPropertyValueException(property, registrationId,
                    "No OAuth2 client registration has that id: define spring.security.oauth2.client.registration." + registrationId + ".*");
        }
        return this.sources.computeIfAbsent(registrationId, (id) -> {
            OAuth2TokenSource source = new OAuth2TokenSource(this.manager, id, FETCH_TIMEOUT, Clock.systemUTC());
            source.prefetch();
            return source;
        });
    }

    /**
     * How many tokens of a registration were fetched so far (0 if none was asked for).
     * @param registrationId the registration id
     * @return the count
     */
    int fetched(String registrationId) {
        OAuth2TokenSource source = this.sources.get(registrationId);
        return (source != null) ? source.fetched() : 0;
    }

    @Override
    public void destroy() {
        this.sources.values().forEach(OAuth2TokenSource::close);
        this.sources.clear();
    }
}
