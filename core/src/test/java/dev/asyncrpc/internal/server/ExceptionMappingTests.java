package dev.asyncrpc.internal.server;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import dev.asyncrpc.RemoteCallException;
import dev.asyncrpc.ServerCall;
import dev.asyncrpc.ServerExceptionMapper;
import dev.asyncrpc.Status;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The mapping from exceptions to statuses, on plain objects: mappers in order, then the default. */
class ExceptionMappingTests {

    private final ServerCall call = InterceptionTests.call("notes", "find");

    @Test
    void theDefaultMapsAnExceptionToApplicationErrorWithItsMessage() {
        RemoteCallException failure = ExceptionMapping.DEFAULT.map(this.call, new IllegalStateException("broken"));
        assertThat(failure.status()).isEqualTo(Status.APPLICATION_ERROR);
        assertThat(failure.description()).isEqualTo("broken");
    }

    @Test
    void theDefaultUsesTheSimpleClassNameWhenThereIsNoMessage() {
        assertThat(ExceptionMapping.DEFAULT.map(this.call, new NullPointerException()).description()).isEqualTo("NullPointerException");
    }

    @Test
    void theDefaultUnwrapsCompletionAndExecutionExceptions() {
        RemoteCallException failure = ExceptionMapping.DEFAULT.map(this.call,
                new CompletionException(new ExecutionException(new IllegalArgumentException("inner"))));
        assertThat(failure.status()).isEqualTo(Status.APPLICATION_ERROR);
        assertThat(failure.description()).isEqualTo("inner");
    }

    @Test
    void theDefaultKeepsARemoteCallExceptionAndMapsACancellation() {
        RemoteCallException own = new RemoteCallException(Status.PERMISSION_DENIED, "no");
        assertThat(ExceptionMapping.DEFAULT.map(this.call, new CompletionException(own))).isSameAs(own);
        RemoteCallException cancelled = ExceptionMapping.DEFAULT.map(this.call, new CancellationException());
        assertThat(cancelled.status()).isEqualTo(Status.CANCELLED);
        assertThat(cancelled.description()).isEqualTo("notes/find was cancelled");
    }

    @Test
    void mappersAreAskedInOrderAndTheFirstAnswerWins() {
        ServerExceptionMapper broken = (c, ex) -> {
            throw new IllegalStateException("mapper bug");
        };
        ServerExceptionMapper notFound = (c, ex) -> (ex instanceof NoSuchElementException) ? new RemoteCallException(Status.NOT_FOUND, "nf") : null;
        ServerExceptionMapper all = (c, ex) -> new RemoteCallException(Status.INTERNAL, "all");
        ExceptionMapping mapping = new ExceptionMapping(List.of(broken, notFound, all));
        assertThat(mapping.map(this.call, new NoSuchElementException()).status()).isEqualTo(Status.NOT_FOUND);
        assertThat(mapping.map(this.call, new IllegalStateException()).status()).isEqualTo(Status.INTERNAL);
    }

    @Test
    void mappersNeverSeeARemoteCallException() {
        ExceptionMapping mapping = new ExceptionMapping(List.of((c, ex) -> new RemoteCallException(Status.INTERNAL, "mapped")));
        assertThat(mapping.map(this.call, new RemoteCallException(Status.UNAUTHENTICATED, "who")).status()).isEqualTo(Status.UNAUTHENTICATED);
    }
}
