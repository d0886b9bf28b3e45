package dev.asyncrpc.internal.server;

import java.util.concurrent.Executor;

/**
 * The executor the runtime runs one call's callbacks on (its pipe callbacks, subscribers and send
 * completions): each task runs on the worker executor with the call's contexts current, and an
 * exception it throws fails the call ({@link ServerCallContext#runCallback}).
 */
final class CallCallbacks implements Executor {

    private final ServerCallContext call;
    private final Executor executor;

    CallCallbacks(ServerCallContext call, Executor executor) {
        this.call = call;
        this.executor = executor;
    }

    /** @throws java.util.concurrent.RejectedExecutionException as the worker executor does */
    @Override
    public void execute(Runnable task) {
        this.executor.execute(() -> this.call.runCallback(task));
    }
}
