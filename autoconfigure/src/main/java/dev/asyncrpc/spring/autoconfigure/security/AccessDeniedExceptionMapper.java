package dev.asyncrpc.spring.autoconfigure.security;

import dev.asyncrpc.RemoteCallException;
import dev.asyncrpc.ServerCall;
import dev.asyncrpc.ServerExceptionMapper;
import dev.asyncrpc.Status;
import org.jspecify.annotations.Nullable;

import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;

/**
 * Maps Spring Security's refusals inside an implementation (method security such as
 * {@code @PreAuthorize} and {@code @Secured}, or code that throws them) to asyncrpc statuses:
 * {@link AccessDeniedException} (and so {@code AuthorizationDeniedException}) to
 * {@link Status#PERMISSION_DENIED}, {@link AuthenticationException} (method security without a
 * caller) to {@link Status#UNAUTHENTICATED}.
 */
final class AccessDeniedExceptionMapper implements ServerExceptionMapper {

    @Override
    public @Nullable RemoteCallException map(ServerCall call, Throwable exception) {
        String operation = call.service() + "/" + call.operation();
        if (exception instanceof AccessDeniedException denied) {
            String caller = call.principal().map(java.security.Principal::getName).orElse("anonymous");
            return new RemoteCallException(Status.PERMISSION_DENIED, "caller '" + caller + "' may not call " + operation + ": "
                    + BearerTokens.scrub(denied.getMessage(), token(call)));
        }
        if (exception instanceof AuthenticationException unauthenticated) {
            return new RemoteCallException(Status.UNAUTHENTICATED, operation + " needs an authenticated caller: "
                    + BearerTokens.scrub(unauthenticated.getMessage(), token(call)));
        }
        return null;
    }

    private static @Nullable String token(ServerCall call) {
        String value = call.metadata().get(BearerTokens.METADATA_KEY);
        return (value != null && value.length() > 7) ? value.substring(7).trim() : null;
    }
}
