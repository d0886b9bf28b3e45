package dev.asyncrpc.internal.server;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import dev.asyncrpc.RemoteCallException;
import dev.asyncrpc.ServerCall;
import dev.asyncrpc.ServerExceptionMapper;
import dev.asyncrpc.Status;

/**
 * Turns an exception of an implementation (or of a callback or interceptor working for a call) into
 * the status and message its caller receives: the registered {@link ServerExceptionMapper}s in
 * order, then the default mapping documented there.
 */
public final class ExceptionMapping {

    /** The default mapping only. */
    public static final ExceptionMapping DEFAULT = new ExceptionMapping(List.of());

    private final ServerExceptionMapper[] mappers;

    public ExceptionMapping(List<ServerExceptionMapper> mappers) {
        this.mappers = mappers.toArray(new ServerExceptionMapper[0]);
    }

    /**
     * The failure to report for {@code exception}.
     * @return a status and description (only those two are sent)
     */
    RemoteCallException map(ServerCall call, Throwable exception) {
        Throwable cause = exception;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof RemoteCallException rce) {
            return rce;
        }
        for (ServerExceptionMapper mapper : this.mappers) {
            try {
                RemoteCallException mapped = mapper.map(call, cause);
                if (mapped != null) {
                    return mapped;
                }
            }
            catch (RuntimeException ex) {
                System.getLogger(ExceptionMapping.class.getName()).log(System.Logger.Level.WARNING,
                        "a ServerExceptionMapper failed on " + cause.getClass().getName() + "; trying the next", ex);
            }
        }
        if (cause instanceof CancellationException) {
            return new RemoteCallException(Status.CANCELLED, call.service() + "/" + call.operation() + " was cancelled");
        }
        String message = cause.getMessage();
        return new RemoteCallException(Status.APPLICATION_ERROR, (message != null) ? message : cause.getClass().getSimpleName());
    }
}
