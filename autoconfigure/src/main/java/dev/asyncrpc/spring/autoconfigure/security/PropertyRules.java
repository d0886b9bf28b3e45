package dev.asyncrpc.spring.autoconfigure.security;

import java.security.Principal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import javax.security.auth.x500.X500Principal;

import dev.asyncrpc.ServerCall;
import org.jspecify.annotations.Nullable;

import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

/**
 * The rules of {@code asyncrpc.server.security.rules}: the first rule whose operations match a
 * call decides; the caller needs one of its authorities (if it lists any) and a TLS client
 * certificate whose subject is one of its subjects (if it lists any). A call no rule matches is
 * granted to any authenticated caller.
 */
final class PropertyRules implements AuthorizationManager<ServerCall> {

    private final List<Rule> rules;

    PropertyRules(List<AsyncRpcServerSecurityProperties.Rule> settings) {
        List<Rule> parsed = new ArrayList<>();
        for (int i = 0; i < settings.size(); i++) {
            String prefix = "asyncrpc.server.security.rules[" + i + "].";
            AsyncRpcServerSecurityProperties.Rule rule = settings.get(i);
            if (rule.getOperations().isEmpty()) {
                throw new IllegalArgumentException(prefix + "operations: [] (expected: at least one of service/operation or service/*)");
            }
            List<OperationPattern> operations = new ArrayList<>();
            for (int j = 0; j < rule.getOperations().size(); j++) {
                operations.add(OperationPattern.parse(prefix + "operations[" + j + "]", rule.getOperations().get(j)));
            }
            Set<X500Principal> subjects = new HashSet<>();
            for (int j = 0; j < rule.getSubjects().size(); j++) {
                String subject = rule.getSubjects().get(j);
                try {
                    subjects.add(new X500Principal(subject));
                }
                catch (IllegalArgumentException ex) {
                    throw new IllegalArgumentException(prefix + "subjects[" + j + "]: '" + subject
                            + "' (expected: a distinguished name such as CN=orders,O=Example)", ex);
                }
            }
            parsed.add(new Rule(i, operations, Set.copyOf(rule.getAuthorities()), subjects));
        }
        this.rules = List.copyOf(parsed);
    }

    boolean isEmpty() {
        return this.rules.isEmpty();
    }

    @Override
    public AuthorizationResult authorize(Supplier<? extends @Nullable Authentication> authentication, ServerCall call) {
        for (Rule rule : this.rules) {
            if (rule.matches(call)) {
                return new RuleDecision(rule.grants(authentication.get(), call), rule);
            }
        }
        return new AuthorizationDecision(true);
    }

    /** A decision that says which rule made it, for the refusal message. */
    static final class RuleDecision extends AuthorizationDecision {

        private static final long serialVersionUID = 1L;

        private final transient Rule rule;

        RuleDecision(boolean granted, Rule rule) {
            super(granted);
            this.rule = rule;
        }

        @Override
        public String toString() {
            return this.rule.toString();
        }
    }

    record Rule(int index, List<OperationPattern> operations, Set<String> authorities, Set<X500Principal> subjects) {

        boolean matches(ServerCall call) {
            for (OperationPattern pattern : this.operations) {
                if (pattern.matches(call.service(), call.operation())) {
                    return true;
                }
            }
            return false;
        }

        boolean grants(@Nullable Authentication authentication, ServerCall call) {
            if (authentication == null || !authentication.isAuthenticated()) {
                return false;
            }
            if (!this.authorities.isEmpty()) {
                boolean any = false;
                for (GrantedAuthority granted : authentication.getAuthorities()) {
                    if (this.authorities.contains(granted.getAuthority())) {
                        any = true;
                        break;
                    }
                }
                if (!any) {
                    return false;
                }
            }
            if (!this.subjects.isEmpty()) {
                X500Principal subject = CallerCertificates.subject(call);
                return subject != null && this.subjects.contains(subject);
            }
            return true;
        }

        @Override
        public String toString() {
            StringBuilder text = new StringBuilder("asyncrpc.server.security.rules[").append(this.index).append("] needs");
            if (!this.authorities.isEmpty()) {
                text.append(" one of the authorities ").append(new java.util.TreeSet<>(this.authorities));
            }
            if (!this.subjects.isEmpty()) {
                text.append(this.authorities.isEmpty() ? "" : " and").append(" a client certificate with one of the subjects ")
                    .append(this.subjects.stream().map(Principal::getName).sorted().toList());
            }
            if (this.authorities.isEmpty() && this.subjects.isEmpty()) {
                text.append(" an authenticated caller");
            }
            return text.toString();
        }
    }
}
