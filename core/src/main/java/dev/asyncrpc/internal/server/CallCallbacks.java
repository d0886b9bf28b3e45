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

    /**
     * Run a callback and time it for {@code gate}, less {@link #NANOS_PER_BYTE} per byte it pulled:
     * a callback that copies out what arrived is as fast as it can be, however much that was (up to
     * the pipe window); one that blocks is slow whatever it pulled.
     */
    private void timed(InlineGate gate, Runnable task, boolean inline) {
        dev.asyncrpc.internal.pipe.CallPipes pipes = this.call.pipes;
        long pulled = (pipes != null) ? pipes.bytesPulled() : 0;
        long start = System.nanoTime();
        this.call.runCallback(task);
        long nanos = System.nanoTime() - start;
        if (pipes != null) {
            nanos -= (pipes.bytesPulled() - pulled) * NANOS_PER_BYTE;
        }
        gate.invoked(nanos, inline);
    }

    /** The time a pipe callback is allowed per byte it pulls, over the limit: 2 ns (500 MB/s). */
    static final long NANOS_PER_BYTE = 2;
}
