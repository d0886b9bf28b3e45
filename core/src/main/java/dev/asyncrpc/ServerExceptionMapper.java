package dev.asyncrpc;

/**
 * Maps an exception of an implementation to the status and message its caller receives. Consulted
 * for exceptions thrown by a plain implementation, futures an asynchronous one completes
 * exceptionally, exceptions thrown by callbacks the runtime runs for a call (pipe callbacks and
 * subscribers) and non-{@link RemoteCallException} exceptions of interceptors. Register with
 * {@link AsyncRpcServer.Builder#exceptionMapper(ServerExceptionMapper)}; mappers are asked in order
 * and the first non-{@code null} answer wins.
 *
 * <p>Without an answer the default applies: a {@link RemoteCallException} keeps its status and
 * description (it is never given to mappers), a {@link java.util.concurrent.CancellationException}
 * becomes {@link Status#CANCELLED}, and any other exception becomes {@link Status#APPLICATION_ERROR}
 * with its message (its simple class name when it has none). Wrapping
 * {@link java.util.concurrent.CompletionException}s and {@link java.util.concurrent.ExecutionException}s
 * are removed first. No stack trace travels.
 */
@FunctionalInterface
public interface ServerExceptionMapper {

    /**
     * Map {@code exception}. Runs on the thread that saw it; must not block. A mapper that throws is
     * logged and skipped.
     * @param call the call that failed
     * @param exception the exception, never a {@link RemoteCallException}
     * @return the status and description to send (its details and cause are not sent), or
     *         {@code null} to leave the exception to the next mapper
     */
    RemoteCallException map(ServerCall call, Throwable exception);
}
