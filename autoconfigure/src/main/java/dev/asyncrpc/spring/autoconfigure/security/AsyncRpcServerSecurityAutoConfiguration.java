package dev.asyncrpc.spring.autoconfigure.security;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import dev.asyncrpc.AsyncRpcServer;
import dev.asyncrpc.ServerCall;
import dev.asyncrpc.Status;
import dev.asyncrpc.spring.AsyncRpcServerCustomizer;
import dev.asyncrpc.spring.security.ServerCallAuthenticator;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.security.oauth2.server.resource.authentication.OpaqueTokenAuthenticationProvider;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;

/**
 * Auto-configuration of the asyncrpc server's Spring Security support. With Spring Security's
 * resource-server support configured (a {@link JwtDecoder} bean, for example from
 * {@code spring.security.oauth2.resourceserver.jwt.*}, or an {@link OpaqueTokenIntrospector} bean from
 * {@code spring.security.oauth2.resourceserver.opaquetoken.*}), or a {@link ServerCallAuthenticator}
 * bean of the application's, every call is authenticated and, except for the operations in
 * {@code asyncrpc.server.security.permit}, must have an authenticated caller; rules in
 * {@code asyncrpc.server.security.rules} and {@code AuthorizationManager<ServerCall>} beans decide
 * what each caller may call (these alone, with mutual TLS, switch the security on too). The caller's
 * {@link Authentication} is in the {@code SecurityContext} while the call runs, so method security
 * works on {@code @RemoteEndpoint} beans, whose refusals become {@code PERMISSION_DENIED}.
 */
@AutoConfiguration(afterName = "org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerAutoConfiguration")
@ConditionalOnClass({ AsyncRpcServer.class, Authentication.class })
@ConditionalOnBooleanProperty(name = "asyncrpc.server.security.enabled", matchIfMissing = true)
@EnableConfigurationProperties(AsyncRpcServerSecurityProperties.class)
public final class AsyncRpcServerSecurityAutoConfiguration {

    /** Runs before other customizers, so that the security interceptor is the first a call passes. */
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    AsyncRpcServerCustomizer asyncRpcServerSecurityCustomizer(AsyncRpcServerSecurityProperties properties,
            ObjectProvider<ServerCallAuthenticator> authenticators, ObjectProvider<AuthorizationManager<ServerCall>> managers,
            ObjectProvider<SecurityContextHolderStrategy> holder, ObjectProvider<SecurityRefusalCounter> refusals) {
        return (builder) -> {
            ServerCallAuthenticator authenticator = authenticators.getIfUnique();
            PropertyRules rules = new PropertyRules(properties.getRules());
            List<AuthorizationManager<ServerCall>> all = new ArrayList<>();
            if (!rules.isEmpty()) {
                all.add(rules);
            }
            managers.orderedStream().forEach(all::add);
            if (authenticator == null && all.isEmpty()) {
                return; // nothing configured: calls are not secured
            }
            List<OperationPattern> permit = new ArrayList<>();
            for (int i = 0; i < properties.getPermit().size(); i++) {
                permit.add(OperationPattern.parse("asyncrpc.server.security.permit[" + i + "]", properties.getPermit().get(i)));
            }
            SecurityRefusalCounter available = refusals.getIfAvailable();
            Consumer<Status> counter = (available != null) ? available : (status) -> {
            };
            CallSecurity security = new CallSecurity(authenticator, permit, all, counter);
            builder.interceptor(new SecurityServerInterceptor(security, holder.getIfAvailable(SecurityContextHolder::getContextHolderStrategy)));
            builder.exceptionMapper(new AccessDeniedExceptionMapper());
        };
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({ JwtDecoder.class, JwtAuthenticationProvider.class })
    static class JwtAuthenticatorConfiguration {

        @Bean
        @ConditionalOnMissingBean(ServerCallAuthenticator.class)
        @ConditionalOnBean(JwtDecoder.class)
        ServerCallAuthenticator asyncRpcJwtAuthenticator(JwtDecoder decoder, ObjectProvider<JwtAuthenticationConverter> converter,
                AsyncRpcServerSecurityProperties properties) {
            JwtAuthenticationProvider provider = new JwtAuthenticationProvider(decoder);
            converter.ifAvailable(provider::setJwtAuthenticationConverter);
            return new BearerTokenAuthenticator(provider, cache(properties));
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({ OpaqueTokenIntrospector.class, OpaqueTokenAuthenticationProvider.class })
    static class OpaqueTokenAuthenticatorConfiguration {

        @Bean
        @ConditionalOnMissingBean(ServerCallAuthenticator.class)
        @ConditionalOnBean(OpaqueTokenIntrospector.class)
        ServerCallAuthenticator asyncRpcOpaqueTokenAuthenticator(OpaqueTokenIntrospector introspector,
                AsyncRpcServerSecurityProperties properties) {
            return new BearerTokenAuthenticator(new OpaqueTokenAuthenticationProvider(introspector), cache(properties));
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    static class RefusalMetricsConfiguration {

        @Bean
        SecurityRefusalCounter asyncRpcSecurityRefusalCounter(ObjectProvider<MeterRegistry> registries) {
            return new SecurityRefusalCounter(registries);
        }
    }

    private static TokenCache cache(AsyncRpcServerSecurityProperties properties) {
        return new TokenCache(properties.getTokenCache().getMaxSize(), properties.getTokenCache().getMaxAge(), Clock.systemUTC());
    }
}
