package dev.asyncrpc.spring.autoconfigure.security;

import java.util.function.Supplier;

import dev.asyncrpc.AsyncRpcClient;
import dev.asyncrpc.spring.AsyncRpcClientCustomizer;
import dev.asyncrpc.spring.autoconfigure.AsyncRpcClientProperties;
import dev.asyncrpc.spring.security.AsyncRpcCredentials;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;

/**
 * Auto-configuration of the credentials asyncrpc clients send: a bearer token per call from
 * {@code asyncrpc.client.*.auth.bearer-token}, from {@link AsyncRpcCredentials} beans, or from a
 * Spring Security OAuth2 client registration ({@code auth.oauth2-registration-id}, client-credentials
 * grant, through the application's {@link OAuth2AuthorizedClientManager} bean if it has one). Needs no
 * Spring Security unless a registration is named.
 */
@AutoConfiguration(afterName = "org.springframework.boot.security.oauth2.client.autoconfigure.OAuth2ClientAutoConfiguration")
@ConditionalOnClass(AsyncRpcClient.class)
@ConditionalOnBooleanProperty(name = "asyncrpc.client.enabled", matchIfMissing = true)
@EnableConfigurationProperties(AsyncRpcClientProperties.class)
public final class AsyncRpcClientSecurityAutoConfiguration {

    @Bean
    AsyncRpcClientCustomizer asyncRpcClientCredentialsCustomizer(AsyncRpcClientProperties properties,
            ObjectProvider<AsyncRpcCredentials> credentials, ObjectProvider<ClientCredentials.OAuth2Sources> oauth2) {
        return (service, builder) -> {
            ClientCredentials.OAuth2Sources sources = oauth2.getIfAvailable(() -> AsyncRpcClientSecurityAutoConfiguration::noOAuth2Client);
            ClientCredentials resolved = new ClientCredentials(properties, credentials.orderedStream().toList(), sources);
            Supplier<@Nullable String> tokens = resolved.tokens(service);
            if (tokens != null) {
                builder.interceptor(new BearerTokenClientInterceptor(service, tokens, resolved.tls(service), resolved.allowPlaintext(service),
                        resolved.allowPlaintextProperty(service)));
            }
        };
    }

    private static Supplier<String> noOAuth2Client(String property, String registrationId) {
        throw new InvalidConfigurationPropertyValueException(property, registrationId,
                "OAuth2 client tokens need Spring Security's OAuth2 client (spring-boot-starter-security-oauth2-client) and "
                        + "spring.security.oauth2.client.registration." + registrationId + ".*");
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({ OAuth2AuthorizedClientManager.class, ClientRegistrationRepository.class })
    static class OAuth2ClientTokensConfiguration {

        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnBean(ClientRegistrationRepository.class)
        OAuth2ClientTokens asyncRpcOAuth2ClientTokens(ClientRegistrationRepository registrations,
                ObjectProvider<OAuth2AuthorizedClientManager> manager) {
            return new OAuth2ClientTokens(registrations,
                    manager.getIfAvailable(() -> OAuth2TokenSource.clientCredentialsManager(registrations)));
        }
    }
}
