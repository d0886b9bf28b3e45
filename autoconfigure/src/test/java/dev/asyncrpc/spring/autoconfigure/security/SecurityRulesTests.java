package dev.asyncrpc.spring.autoconfigure.security;

import java.util.ArrayList;
import java.util.List;

import dev.asyncrpc.ServerCall;
import dev.asyncrpc.Status;
import dev.asyncrpc.test.TestCertificates;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.core.Authentication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Operation patterns, property rules, the plaintext guard, token parsing and {@link CallSecurity}, with calls made by hand. */
class SecurityRulesTests {

    private static TestCertificates certificates;

    private final List<Status> refused = new ArrayList<>();

    @BeforeAll
    static void makeCertificates() throws Exception {
        certificates = TestCertificates.create();
    }

    @Test
    void operationPatterns() {
        assertThat(OperationPattern.parse("p", "inventory/level").matches("inventory", "level")).isTrue();
        assertThat(OperationPattern.parse("p", "inventory/level").matches("inventory", "upload")).isFalse();
        assertThat(OperationPattern.parse("p", " inventory/* ").matches("inventory", "upload")).isTrue();
        assertThat(OperationPattern.parse("p", "inventory/*").matches("orders", "upload")).isFalse();
        for (String bad : new String[] { "inventory", "/level", "inventory/", "*/level", "a/b/c", "inventory/lev*" }) {
            assertThatIllegalArgumentException().isThrownBy(() -> OperationPattern.parse("asyncrpc.server.security.permit[0]", bad))
                .withMessage("asyncrpc.server.security.permit[0]: '" + bad + "' (expected: service/operation or service/*)");
        }
    }

    @Test
    void plaintextGuardAdmitsOnlyAddressesThatStayOnTheMachine() {
        for (String local : new String[] { "127.0.0.1:7443", "localhost:1", "[::1]:7443", "127.10.0.3:9", "unix:/tmp/s.sock", "local:x",
                "127.0.0.1:1,localhost:2" }) {
            assertThat(PlaintextGuard.isLocal(local)).as(local).isTrue();
        }
        for (String remote : new String[] { "10.0.0.5:7443", "orders:7443", "localhost.evil.com:1", "127.0.0.1.nip.io:1", "[::2]:1",
                "127.0.0.1:1,10.0.0.1:2", "128.0.0.1:1" }) {
            assertThat(PlaintextGuard.isLocal(remote)).as(remote).isFalse();
        }
    }

    @Test
    void bearerTokensAreReadAndScrubbed() {
        assertThat(BearerTokens.read(java.util.Map.of())).isNull();
        assertThat(BearerTokens.read(java.util.Map.of("authorization", "Bearer abc.def.ghi"))).isEqualTo("abc.def.ghi");
        assertThat(BearerTokens.read(java.util.Map.of("authorization", "bearer abc"))).isEqualTo("abc");
        for (String bad : new String[] { "Basic dXNlcjpwYXNz", "Bearer", "Bearer ", "Bearer a b", "abc" }) {
            assertThatExceptionOfType(BearerTokens.MalformedTokenException.class)
                .isThrownBy(() -> BearerTokens.read(java.util.Map.of("authorization", bad)))
                .satisfies((ex) -> assertThat(ex.getMessage()).doesNotContain("dXNlcjpwYXNz"));
        }
        assertThat(BearerTokens.scrub("bad token eyJhbGciOi.eyJzdWIiOiJ4In0.c2ln here", "eyJhbGciOi.eyJzdWIiOiJ4In0.c2ln"))
            .isEqualTo("bad token [token] here");
        assertThat(BearerTokens.scrub("claims eyJzdWIiOiJ4In0 alone", "eyJhbGciOi.eyJzdWIiOiJ4In0.c2ln")).isEqualTo("claims [token] alone");
    }

    @Test
    void anonymousCallersReachOnlyPermittedOperations() {
        CallSecurity security = security(null, List.of("greeter/hello", "status/*"), List.of());
        assertThat(security.check(new FakeCall("greeter", "hello"))).isNull();
        assertThat(security.check(new FakeCall("status", "anything"))).isNull();
        assertThatExceptionOfType(CallRefusedException.class).isThrownBy(() -> security.check(new FakeCall("greeter", "secret")))
            .satisfies((ex) -> {
                assertThat(ex.status()).isEqualTo(Status.UNAUTHENTICATED);
                assertThat(ex.getMessage()).isEqualTo("greeter/secret needs an authenticated caller: send a bearer token in the "
                        + "'authorization' metadata entry or a trusted TLS client certificate");
            });
        assertThat(this.refused).containsExactly(Status.UNAUTHENTICATED);
    }

    @Test
    void refusedCredentialsAreUnauthenticatedEvenOnPermittedOperationsAndTheMessageNeverQuotesThem() {
        CallSecurity security = security((call) -> {
            throw new BadCredentialsException("token " + call.metadata().get("authorization").substring(7) + " is forged");
        }, List.of("greeter/hello"), List.of());
        assertThatExceptionOfType(CallRefusedException.class)
            .isThrownBy(() -> security.check(new FakeCall("greeter", "hello").bearer("s3cr3t-t0ken-value")))
            .satisfies((ex) -> {
                assertThat(ex.status()).isEqualTo(Status.UNAUTHENTICATED);
                assertThat(ex.getMessage()).isEqualTo("the credentials of the call to greeter/hello were refused: token [token] is forged");
            });
    }

    @Test
    void rulesOnAuthoritiesFirstMatchDecides() {
        CallSecurity security = security((call) -> new TestingAuthenticationToken("alice", null, "SCOPE_read"), List.of(),
                List.of(rules(rule(List.of("admin/*"), List.of("SCOPE_admin"), List.of()),
                        rule(List.of("inventory/*"), List.of("SCOPE_read", "SCOPE_write"), List.of()))));
        assertThat(security.check(new FakeCall("inventory", "level").bearer("t")).getName()).isEqualTo("alice");
        assertThat(security.check(new FakeCall("other", "op").bearer("t")).getName()).isEqualTo("alice");
        assertThatExceptionOfType(CallRefusedException.class).isThrownBy(() -> security.check(new FakeCall("admin", "reset").bearer("t")))
            .satisfies((ex) -> {
                assertThat(ex.status()).isEqualTo(Status.PERMISSION_DENIED);
                assertThat(ex.getMessage()).isEqualTo("caller 'alice' may not call admin/reset: asyncrpc.server.security.rules[0] needs one of "
                        + "the authorities [SCOPE_admin]");
            });
    }

    @Test
    void certificateCallersAreNamedByTheirSubjectAndRulesOnSubjectsApply() throws Exception {
        String client = certificates.certificate("client").getSubjectX500Principal().getName();
        CallSecurity security = security(null, List.of(), List.of(rules(rule(List.of("orders/*"), List.of(), List.of(client)))));
        Authentication caller = security.check(new FakeCall("orders", "place").certificate(certificates.certificate("client")));
        assertThat(caller.getName()).isEqualTo(client);
        assertThatExceptionOfType(CallRefusedException.class)
            .isThrownBy(() -> security.check(new FakeCall("orders", "place").certificate(certificates.certificate("server"))))
            .satisfies((ex) -> assertThat(ex.status()).isEqualTo(Status.PERMISSION_DENIED));
    }

    @Test
    void everyAuthorizationManagerMustGrant() {
        AuthorizationManager<ServerCall> noWrites = (auth, call) -> new AuthorizationDecision(!call.operation().startsWith("write"));
        CallSecurity security = security((call) -> new TestingAuthenticationToken("bob", null, "SCOPE_read"), List.of(),
                List.of(rules(), noWrites));
        assertThat(security.check(new FakeCall("kv", "read").bearer("t"))).isNotNull();
        assertThatExceptionOfType(CallRefusedException.class).isThrownBy(() -> security.check(new FakeCall("kv", "write").bearer("t")))
            .satisfies((ex) -> assertThat(ex.getMessage()).startsWith("caller 'bob' may not call kv/write: refused by "));
    }

    @Test
    void badRulesFailNamingTheProperty() {
        assertThatIllegalArgumentException().isThrownBy(() -> rules(rule(List.of(), List.of("x"), List.of())))
            .withMessageStartingWith("asyncrpc.server.security.rules[0].operations: []");
        assertThatIllegalArgumentException().isThrownBy(() -> rules(rule(List.of("a/b"), List.of(), List.of("not a dn"))))
            .withMessageStartingWith("asyncrpc.server.security.rules[0].subjects[0]: 'not a dn'");
    }

    private CallSecurity security(dev.asyncrpc.spring.security.ServerCallAuthenticator authenticator, List<String> permit,
            List<AuthorizationManager<ServerCall>> managers) {
        List<OperationPattern> patterns = permit.stream().map((p) -> OperationPattern.parse("permit", p)).toList();
        return new CallSecurity(authenticator, patterns, managers, this.refused::add);
    }

    private static PropertyRules rules(AsyncRpcServerSecurityProperties.Rule... rules) {
        return new PropertyRules(List.of(rules));
    }

    private static AsyncRpcServerSecurityProperties.Rule rule(List<String> operations, List<String> authorities, List<String> subjects) {
        AsyncRpcServerSecurityProperties.Rule rule = new AsyncRpcServerSecurityProperties.Rule();
        rule.setOperations(operations);
        rule.setAuthorities(authorities);
        rule.setSubjects(subjects);
        return rule;
    }
}
