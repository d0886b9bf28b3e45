package dev.asyncrpc;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes one side of an operation asynchronous: the ACF {@code [async]} attribute. It never changes
 * the bytes on the wire, so every combination of plain and asynchronous callers and implementers
 * interoperates.
 *
 * <p>On a caller's interface the method must return {@link AsyncCall}, {@code CompletableFuture},
 * {@code CompletionStage} (or Reactor {@code Mono}/{@code Flux}); the future a caller gets is
 * read-only (only the call decides its outcome: see {@link AsyncCall#toCompletableFuture()}), and
 * its non-async callbacks run on the client's completion executor. On an implementer's interface
 * the method returns {@code CompletableFuture}/{@code CompletionStage}, or returns {@code void}
 * and takes an {@link AsyncReply} parameter.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface AsyncRemote {

    /**
     * Time the caller allows for the call, as an ISO-8601 duration ({@code "PT5S"}) or a simple
     * form ({@code "500ms"}, {@code "5s"}, {@code "2m"}); empty means the binding's default.
     * @return the timeout text
     */
    String timeout() default "";

    /**
     * Dispatch ordering for this operation.
     * @return the ordering; {@link Ordering#DEFAULT} follows the binding
     */
    Ordering ordering() default Ordering.DEFAULT;

    /**
     * Whether pipe pushes of this operation report send completion (Microsoft's
     * {@code RPC_C_NOTIFY_ON_SEND_COMPLETE}). Pipes always offer it, whatever this says: a pipe's
     * {@code whenSent()} completes once everything pushed before has been handed to the transport.
     * @return whether to notify on send complete
     */
    boolean notifyOnSendComplete() default true;
}
