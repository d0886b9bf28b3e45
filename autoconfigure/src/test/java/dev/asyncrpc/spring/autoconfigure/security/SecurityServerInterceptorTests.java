package dev.asyncrpc.spring.autoconfigure.security;

import dev.asyncrpc.CallContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;

import static org.assertj.core.api.Assertions.assertThat;

class SecurityServerInterceptorTests {

    private final SecurityContextHolderStrategy holder = SecurityContextHolder.getContextHolderStrategy();

    private final Authentication alice = new TestingAuthenticationToken("alice", null, "SCOPE_read");

    private final Authentication bob = new TestingAuthenticationToken("bob", null, "SCOPE_read");

    @AfterEach
    void clear() {
        this.holder.clearContext();
    }

    @Test
    void theCallerIsInTheContextWhileOpenAndNoOneIsAfterwards() {
        this.holder.clearContext();
        CallContext context = new SecurityServerInterceptor.AuthenticationContext(this.alice, this.holder);
        for (int call = 0; call < 3; call++) {
            try (CallContext.Scope scope = context.open()) {
                assertThat(this.holder.getContext().getAuthentication()).isSameAs(this.alice);
            }
            assertThat(this.holder.getContext().getAuthentication()).isNull();
        }
    }

    @Test
    void theThreadsOwnContextComesBackUnchanged() {
        SecurityContext own = this.holder.createEmptyContext();
        own.setAuthentication(this.bob);
        this.holder.setContext(own);
        try (CallContext.Scope scope = new SecurityServerInterceptor.AuthenticationContext(this.alice, this.holder).open()) {
            assertThat(this.holder.getContext().getAuthentication()).isSameAs(this.alice);
        }
        assertThat(this.holder.getContext()).isSameAs(own);
        assertThat(own.getAuthentication()).isSameAs(this.bob);
    }

    @Test
    void eachOpeningHasItsOwnContextSoAnImplementationCannotChangeAnotherCallsCaller() {
        CallContext context = new SecurityServerInterceptor.AuthenticationContext(this.alice, this.holder);
        SecurityContext first;
        try (CallContext.Scope scope = context.open()) {
            first = this.holder.getContext();
            first.setAuthentication(this.bob); // what an implementation might do
        }
        try (CallContext.Scope scope = context.open()) {
            assertThat(this.holder.getContext()).isNotSameAs(first);
            assertThat(this.holder.getContext().getAuthentication()).isSameAs(this.alice);
        }
    }
}
