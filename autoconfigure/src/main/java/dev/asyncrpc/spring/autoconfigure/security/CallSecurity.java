package dev.asyncrpc.spring.autoconfigure.security;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.function.Consumer;

import dev.asyncrpc.ServerCall;
import dev.asyncrpc.Status;
import dev.asyncrpc.spring.security.ClientCertificateAuthentication;
import dev.asyncrpc.spring.security.ServerCallAuthenticator;
import org.jspecify.annotations.Nullable;

import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;

/**
 * Who calls and whether they may: the decision taken for every call before its implementation
 * runs. The caller is what the {@link ServerCallAuthenticator} finds (a bearer token), else the TLS
 * client certificate, else anonymous. An anonymous caller may call only the permitted operations;
 * any other caller must be granted by every {@link AuthorizationManager} (the property rules first).
 * Refusals are {@code UNAUTHENTICATED} (no or bad credentials) or {@code PERMISSION_DENIED}, with a
 * message that says why and never quotes a token.
 */
final class CallSecurity {

    private final @Nullable ServerCallAuthenticator authenticator;

    private final OperationPattern[] permit;

    private final AuthorizationManager<ServerCall>[] managers;

    private final Consumer<Status> refusals;

    CallSecurity(@Nullable ServerCallAuthenticator authenticator, List<OperationPattern> permit,
            List<AuthorizationManager<ServerCall>> managers, Consumer<Status> refusals) {
        this.authenticator = authenticator;
        this.permit = permit.toArray(OperationPattern[]::new);
        this.managers = toArray(managers);
        this.refusals = refusals;
    }

    /**
     * Authenticate and authorize a call.
     * @param call the call
     * @return the caller, or {@code null} for an anonymous caller of a permitted operation
     * @throws CallRefusedException if the call must not run
     */
    @Nullable Authentication check(ServerCall call) {
        Authentication caller = authenticate(call);
        if (isPermitted(call)) {
            return caller;
        }
        if (caller == null) {
            throw refuse(Status.UNAUTHENTICATED, call.service() + "/" + call.operation()
                    + " needs an authenticated caller: send a bearer token in the 'authorization' metadata entry"
                    + " or a trusted TLS client certificate");
        }
        for (AuthorizationManager<ServerCall> manager : this.managers) {
            AuthorizationResult result;
            try {
                result = manager.authorize(() -> caller, call);
            }
            catch (AccessDeniedException ex) {
                throw refuse(Status.PERMISSION_DENIED, denied(caller, call) + ": " + scrub(ex.getMessage(), call));
            }
            if (result != null && !result.isGranted()) {
                String why = (result instanceof PropertyRules.RuleDecision) ? result.toString()
                        : "refused by " + manager.getClass().getSimpleName();
                throw refuse(Status.PERMISSION_DENIED, denied(caller, call) + ": " + why);
            }
        }
        return caller;
    }

    /**
     * Whether {@link #check} cannot block for this call, so that it may run on an event loop: the
     * authenticator is the bearer-token one and the call's token is cached (or the call carries
     * none, or there is no authenticator: the TLS certificate is in memory), and every authorization
     * manager is a property rule. An authenticator or authorization manager of the user's may block.
     */
    boolean decidesWithoutBlocking(ServerCall call) {
        for (AuthorizationManager<ServerCall> manager : this.managers) {
            if (!(manager instanceof PropertyRules)) {
                return false;
            }
        }
        if (this.authenticator == null) {
            return true;
        }
        return (this.authenticator instanceof BearerTokenAuthenticator bearer) && bearer.isCached(call);
    }

    private @Nullable Authentication authenticate(ServerCall call) {
        Authentication caller = null;
        if (this.authenticator != null) {
            try {
                caller = this.authenticator.authenticate(call);
            }
            catch (AuthenticationException ex) {
                throw refuse(Status.UNAUTHENTICATED, "the credentials of the call to " + call.service() + "/" + call.operation()
                        + " were refused: " + scrub(ex.getMessage(), call));
            }
            if (caller != null && !caller.isAuthenticated()) {
                throw refuse(Status.UNAUTHENTICATED, "the credentials of the call to " + call.service() + "/" + call.operation()
                        + " were not accepted");
            }
        }
        if (caller == null) {
            X509Certificate certificate = CallerCertificates.certificate(call);
            if (certificate != null) {
                caller = new ClientCertificateAuthentication(certificate);
            }
        }
        return caller;
    }

    private boolean isPermitted(ServerCall call) {
        for (OperationPattern pattern : this.permit) {
            if (pattern.matches(call.service(), call.operation())) {
                return true;
            }
        }
        return false;
    }

    private static String denied(Authentication caller, ServerCall call) {
        return "caller '" + caller.getName() + "' may not call " + call.service() + "/" + call.operation();
    }

    private static String scrub(@Nullable String message, ServerCall call) {
        String value = call.metadata().get(BearerTokens.METADATA_KEY);
        String scrubbed = BearerTokens.scrub(message, value);
        if (value != null && value.length() > 7) {
            scrubbed = BearerTokens.scrub(scrubbed, value.substring(7).trim());
        }
        return scrubbed;
    }

    @SuppressWarnings("unchecked")
    private static AuthorizationManager<ServerCall>[] toArray(List<AuthorizationManager<ServerCall>> managers) {
        return managers.toArray(AuthorizationManager[]::new);
    }

    private CallRefusedException refuse(Status status, String message) {
        this.refusals.accept(status);
        return new CallRefusedException(status, message);
    }
}
