package dev.asyncrpc.spring.autoconfigure.security;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import dev.asyncrpc.AsyncRpcServer;
import dev.asyncrpc.ServerCall;
import dev.asyncrpc.ServerExceptionMapper;
import dev.asyncrpc.ServerInterceptor;
import dev.asyncrpc.Status;
import dev.asyncrpc.spring.security.ServerCallAuthenticator;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.ResolvableType;
import org.springframework.core.type.AnnotatedTypeMetadata;
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

    /**
     * The security interceptor, when security is configured; it runs right after the observation
     * interceptor (so that refused calls are observed too) and before the application's interceptors
     * (which then see the caller as {@code ServerCall.principal()}).
     */
    @Bean
    @Order(SecurityServerInterceptor.ORDER)
    @Conditional(OnCallSecurityCondition.class)
    ServerInterceptor asyncRpcSecurityServerInterceptor(AsyncRpcServerSecurityProperties properties,
            ObjectProvider<ServerCallAuthenticator> authenticators, ObjectProvider<AuthorizationManager<ServerCall>> managers,
            ObjectProvider<SecurityContextHolderStrategy> holder, ObjectProvider<SecurityRefusalCounter> refusals) {
        List<AuthorizationManager<ServerCall>> all = new ArrayList<>();
        PropertyRules rules = new PropertyRules(properties.getRules());
        if (!rules.isEmpty()) {
            all.add(rules);
        }
        managers.orderedStream().forEach(all::add);
        List<OperationPattern> permit = new ArrayList<>();
        for (int i = 0; i < properties.getPermit().size(); i++) {
            permit.add(OperationPattern.parse("asyncrpc.server.security.permit[" + i + "]", properties.getPermit().get(i)));
        }
        SecurityRefusalCounter available = refusals.getIfAvailable();
        Consumer<Status> counter = (available != null) ? available : (status) -> {
        };
        CallSecurity security = new CallSecurity(authenticators.getIfUnique(), permit, all, counter);
        return new SecurityServerInterceptor(security, holder.getIfAvailable(SecurityContextHolder::getContextHolderStrategy));
    }

    /** Method security's refusals inside implementations become PERMISSION_DENIED or UNAUTHENTICATED. */
    @Bean
    @Order(Ordered.LOWEST_PRECEDENCE)
    @Conditional(OnCallSecurityCondition.class)
    ServerExceptionMapper asyncRpcAccessDeniedExceptionMapper() {
        return new AccessDeniedExceptionMapper();
    }

    /**
     * Matches when the server's calls are to be secured: a {@link ServerCallAuthenticator} bean (the
     * bearer-token one below included), a rule in {@code asyncrpc.server.security.rules}, or an
     * {@code AuthorizationManager<ServerCall>} bean.
     */
    static final class OnCallSecurityCondition extends SpringBootCondition {

        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            ConfigurableListableBeanFactory beans = context.getBeanFactory();
            if (beans != null && beans.getBeanNamesForType(ServerCallAuthenticator.class, true, false).length > 0) {
                return ConditionOutcome.match("a ServerCallAuthenticator bean is defined");
            }
            List<AsyncRpcServerSecurityProperties.Rule> rules = Binder.get(context.getEnvironment())
                .bind("asyncrpc.server.security.rules", Bindable.listOf(AsyncRpcServerSecurityProperties.Rule.class))
                .orElse(List.of());
            if (!rules.isEmpty()) {
                return ConditionOutcome.match("asyncrpc.server.security.rules are set");
            }
            if (beans != null && beans.getBeanNamesForType(ResolvableType.forClassWithGenerics(AuthorizationManager.class, ServerCall.class),
                    true, false).length > 0) {
                return ConditionOutcome.match("an AuthorizationManager<ServerCall> bean is defined");
            }
            return ConditionOutcome.noMatch("no ServerCallAuthenticator bean, no asyncrpc.server.security.rules and no "
                    + "AuthorizationManager<ServerCall> bean");
        }
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
