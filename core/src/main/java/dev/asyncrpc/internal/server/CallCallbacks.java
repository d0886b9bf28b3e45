package dev.asyncrpc.internal.server;

import java.util.concurrent.Executor;

import io.netty.util.concurrent.EventExecutor;

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

    /**
     * The executor of the call's {@code onAvailable} callbacks registered without one: a callback
     * handed to it on {@code loop} runs there at once while {@code gate} is open (the operation's
     * callbacks have proven fast), with no thread hop; otherwise on the workers. Every run is timed
     * for the gate, wherever it runs.
     * @param gate the operation's gate of pipe callbacks, or {@code null}: the workers always
     */
    Executor availability(InlineGate gate, EventExecutor loop) {
        if (gate == null) {
            return this;
        }
        return task -> {
            if (gate.isOpen() && loop.inEventLoop()) {
                timed(gate, task, true);
            }
            else {
                this.executor.execute(() -> timed(gate, task, false));
            }
        };
    }

    private void timed(InlineGate gate, Runnable task, boolean inline) {
        long start = System.nanoTime();
        this.call.runCallback(task);
        gate.invoked(System.nanoTime() - start, inline);
    }
}
