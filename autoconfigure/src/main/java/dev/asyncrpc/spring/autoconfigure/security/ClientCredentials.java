package dev.asyncrpc.spring.autoconfigure.security;

import java.util.List;
import java.util.function.Supplier;

import dev.asyncrpc.spring.autoconfigure.AsyncRpcClientProperties;
import dev.asyncrpc.spring.security.AsyncRpcCredentials;
import org.jspecify.annotations.Nullable;

/**
 * Which token a service's client sends, from the {@code asyncrpc.client.*.auth.*} properties and the
 * {@link AsyncRpcCredentials} beans, in this order: the service's {@code bearer-token}, the
 * service's {@code oauth2-registration-id}, the beans (the first that answers for the service), the
 * defaults' {@code bearer-token}, the defaults' {@code oauth2-registration-id}.
 */
final class ClientCredentials {

    /** Supplies the tokens of an OAuth2 client registration, or fails naming the property. */
    @FunctionalInterface
    interface OAuth2Sources {

        Supplier<String> source(String property, String registrationId);
    }

    private final AsyncRpcClientProperties properties;

    private final List<AsyncRpcCredentials> beans;

    private final OAuth2Sources oauth2;

    ClientCredentials(AsyncRpcClientProperties properties, List<AsyncRpcCredentials> beans, OAuth2Sources oauth2) {
        this.properties = properties;
        this.beans = List.copyOf(beans);
        this.oauth2 = oauth2;
    }

    /**
     * The tokens of a service's calls.
     * @param service the service name
     * @return a supplier (which may answer {@code null} for a call without a token), or {@code null}
     *         when nothing is configured for the service
     */
    @Nullable Supplier<@Nullable String> tokens(String service) {
        String prefix = "asyncrpc.client.services." + service + ".auth.";
        AsyncRpcClientProperties.ServiceAuth own = serviceSettings(service).getAuth();
        if (hasText(own.getBearerToken())) {
            String token = own.getBearerToken().trim();
            return () -> token;
        }
        if (hasText(own.getOauth2RegistrationId())) {
            return nullable(this.oauth2.source(prefix + "oauth2-registration-id", own.getOauth2RegistrationId().trim()));
        }
        Supplier<@Nullable String> fallback = defaults();
        if (this.beans.isEmpty()) {
            return fallback;
        }
        return () -> {
            for (AsyncRpcCredentials bean : this.beans) {
                String token = bean.bearerToken(service);
                if (token != null) {
                    return token;
                }
            }
            return (fallback != null) ? fallback.get() : null;
        };
    }

    private @Nullable Supplier<@Nullable String> defaults() {
        AsyncRpcClientProperties.Auth defaults = this.properties.getDefaults().getAuth();
        if (hasText(defaults.getBearerToken())) {
            String token = defaults.getBearerToken().trim();
            return () -> token;
        }
        if (hasText(defaults.getOauth2RegistrationId())) {
            return nullable(this.oauth2.source("asyncrpc.client.defaults.auth.oauth2-registration-id", defaults.getOauth2RegistrationId().trim()));
        }
        return null;
    }

    boolean allowPlaintext(String service) {
        Boolean own = serviceSettings(service).getAuth().getAllowPlaintext();
        return (own != null) ? own : this.properties.getDefaults().getAuth().isAllowPlaintext();
    }

    String allowPlaintextProperty(String service) {
        return (serviceSettings(service).getAuth().getAllowPlaintext() != null)
                ? "asyncrpc.client.services." + service + ".auth.allow-plaintext" : "asyncrpc.client.defaults.auth.allow-plaintext";
    }

    /** Whether the properties call the service over TLS (as the client auto-configuration decides it). */
    boolean tls(String service) {
        AsyncRpcClientProperties.Service settings = serviceSettings(service);
        Boolean enabled = settings.getSsl().getEnabled();
        if (enabled != null) {
            return enabled;
        }
        return hasText(settings.getSsl().getBundle()) || hasText(this.properties.getDefaults().getSsl().getBundle());
    }

    private AsyncRpcClientProperties.Service serviceSettings(String service) {
        AsyncRpcClientProperties.Service settings = this.properties.getServices().get(service);
        return (settings != null) ? settings : new AsyncRpcClientProperties.Service();
    }

    private static Supplier<@Nullable String> nullable(Supplier<String> supplier) {
        return supplier::get;
    }

    private static boolean hasText(@Nullable String value) {
        return value != null && !value.isBlank();
    }
}
