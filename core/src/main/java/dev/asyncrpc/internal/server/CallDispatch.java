package dev.asyncrpc.internal.server;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

import dev.asyncrpc.Status;
import dev.asyncrpc.internal.IntMap;
import io.netty.util.concurrent.EventExecutor;

/**
 * Where the admitted calls of one connection run, in their order. A plain call without an ordering
 * key goes to the connection's {@link WorkLane} at once; the others wait for the end of the read
 * ({@link #readComplete()}) and are then dispatched in arrival order: asynchronous implementations
 * on this event loop while they may run inline ({@link InlineGate}, or all with direct dispatch),
 * the rest to the workers, calls without an ordering key as one task and the calls of each key as
 * units of that key's {@link OrderedDispatch}. Event loop only, except {@link #isRunningOnLoop()}.
 */
final class CallDispatch {

    private final WorkLane lane;
    private final ServerRuntime runtime;
    private final EventExecutor loop;
    private List<ServerCallContext> batch = new ArrayList<>();
    private final IntMap<OrderedDispatch> ordered = new IntMap<>();
    /** Whether a call runs on this event loop now, inside a read whose end flushes. */
    private boolean runningOnLoop;

    /**
     * @param lane the connection's share of the workers
     * @param runtime the server (direct dispatch, interceptors)
     * @param loop the connection's event loop
     */
    CallDispatch(WorkLane lane, ServerRuntime runtime, EventExecutor loop) {
        this.lane = lane;
        this.runtime = runtime;
        this.loop = loop;
    }

    /** Dispatch an admitted call: a plain one without an ordering key at once, the others at the end of the read. */
    void add(ServerCallContext call) {
        if (call.method.isAsync() || call.orderingKey != 0) {
            this.batch.add(call); // dispatched at the end of the read, in arrival order per ordering key
        }
        else {
            this.lane.execute(call);
        }
    }

    /** Whether calls of this read wait for its end. */
    boolean hasWaiting() {
        return !this.batch.isEmpty();
    }

    /** Whether a call runs on this event loop now (its reply is written at once, flushed at the end of the read). */
    boolean isRunningOnLoop() {
        return this.runningOnLoop;
    }

    /** The read ended: dispatch the calls that waited for it. */
    void readComplete() {
        if (this.batch.isEmpty()) {
            return;
        }
        List<ServerCallContext> run = this.batch;
        if (dispatchBatch(run)) {
            run.clear(); // every call ran here: the list is reused for the next read
        }
        else {
            this.batch = new ArrayList<>(); // the tasks of the rest hold on to it
        }
    }

    /** The connection is gone: the calls that waited for the end of the read never run. */
    void discardWaiting() {
        for (ServerCallContext call : this.batch) {
            call.discard();
        }
        this.batch.clear();
    }

    /** The dispatcher of one ordering key; idle ones are swept once there are many. */
    private OrderedDispatch ordering(int key) {
        OrderedDispatch d = this.ordered.get(key);
        if (d == null) {
            if (this.ordered.size() >= 1024) {
                this.ordered.removeIf(OrderedDispatch::isIdle);
            }
            d = new OrderedDispatch(this.lane);
            this.ordered.put(key, d);
        }
        return d;
    }

    /**
     * Dispatch the asynchronous calls read in one batch: calls without an ordering key as one task,
     * and the calls of each ordering key as one unit of that key's ordered dispatch.
     * @return whether every call ran on this event loop (nothing holds on to {@code batch})
     */
    private boolean dispatchBatch(List<ServerCallContext> batch) {
        List<ServerCallContext> run = runOnLoop(batch);
        if (run == null) {
            return true;
        }
        List<ServerCallContext> free = null;
        LinkedHashMap<Integer, List<ServerCallContext>> byKey = null;
        for (ServerCallContext call : run) {
            if (call.orderingKey == 0) {
                if (free == null) {
                    free = new ArrayList<>(run.size());
                }
                free.add(call);
            }
            else {
                if (byKey == null) {
                    byKey = new LinkedHashMap<>();
                }
                byKey.computeIfAbsent(call.orderingKey, k -> new ArrayList<>()).add(call);
            }
        }
        if (free != null) {
            List<ServerCallContext> calls = free;
            if (calls.size() == 1) {
                this.lane.execute(calls.get(0));
            }
            else {
                this.lane.execute(new CallBatch(calls, () -> calls.forEach(ServerCallContext::run)));
            }
        }
        if (byKey != null) {
            byKey.forEach((key, calls) -> {
                OrderedDispatch dispatch = ordering(key);
                List<ServerCallContext> unit = new ArrayList<>();
                for (ServerCallContext call : calls) {
                    if (call.method.isAsync()) {
                        unit.add(call);
                    }
                    else {
                        submitUnit(dispatch, unit);
                        unit = new ArrayList<>();
                        submitUnit(dispatch, List.of(call));
                    }
                }
                submitUnit(dispatch, unit);
            });
        }
        return false;
    }

    /**
     * Run asynchronous implementations here, on the event loop, in arrival order, as long as nothing
     * of their ordering key is still queued: every one with direct dispatch (opt-in), and by default
     * those whose {@link InlineGate} is open and whose arguments are small (inline dispatch). From the
     * first call that cannot run here (a plain implementation, a demoted or warming-up operation,
     * large arguments, an interceptor that may block for it, or a key with work pending), the rest of
     * the batch takes the normal path, so order is kept.
     * @return the calls left for the normal path, or {@code null} if every call ran here
     */
    private List<ServerCallContext> runOnLoop(List<ServerCallContext> batch) {
        boolean direct = this.runtime.directDispatch;
        int i = 0;
        for (; i < batch.size(); i++) {
            ServerCallContext call = batch.get(i);
            if (!call.method.isAsync()) {
                break;
            }
            if (!direct) {
                InlineGate gate = call.method.inline;
                if (gate == null || !gate.isOpen() || call.argumentCharge > ServerRuntime.INLINE_MAX_ARGUMENT_BYTES
                        || !this.runtime.interceptors().mayRunOnEventLoop(call)) {
                    break;
                }
            }
            if (call.orderingKey != 0) {
                OrderedDispatch d = this.ordered.get(call.orderingKey);
                if (d != null && !d.isIdle()) {
                    break;
                }
            }
            call.inline = true;
            this.runningOnLoop = true;
            try {
                call.run();
            }
            finally {
                this.runningOnLoop = false;
            }
        }
        return (i == batch.size()) ? null : (i == 0) ? batch : batch.subList(i, batch.size());
    }

    /**
     * Submit calls that run one after another on one worker. Asynchronous implementations release
     * the key's next unit once their methods have returned (the hand-off point), so dispatch order
     * is exact and execution still overlaps through their futures. A plain implementation comes
     * alone and releases the next unit once it has provably entered its method ({@link EntryWatch}:
     * it returned, or its thread's stack shows the method), so the calls of one
     * key enter in issue order, exactly, and still overlap when one blocks.
     */
    private void submitUnit(OrderedDispatch dispatch, List<ServerCallContext> unit) {
        if (unit.isEmpty()) {
            return;
        }
        ServerCallContext first = unit.get(0);
        if (!first.method.isAsync()) {
            first.entry = new EntryWatch(dispatch::started, this.loop, first.method.method.getName());
            dispatch.submit(first);
            return;
        }
        dispatch.submit(new CallBatch(unit, () -> {
            try {
                unit.forEach(ServerCallContext::run);
            }
            finally {
                dispatch.started();
            }
        }));
    }

    /** Asynchronous calls run as one task; a refusal fails each of them (never run). */
    private record CallBatch(List<ServerCallContext> calls, Runnable task) implements WorkerTask {

        @Override
        public void run() {
            this.task.run();
        }

        @Override
        public void rejected(Status status, String message) {
            for (ServerCallContext call : this.calls) {
                call.rejected(status, message);
            }
        }
    }
}
