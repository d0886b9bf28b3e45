package dev.asyncrpc.internal.server;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.asyncrpc.AsyncRemote;
import dev.asyncrpc.CallObserver;
import dev.asyncrpc.RemoteService;
import dev.asyncrpc.Status;
import dev.asyncrpc.internal.codec.Codecs;
import dev.asyncrpc.internal.protocol.FrameType;
import dev.asyncrpc.internal.protocol.Settings;
import dev.asyncrpc.internal.transport.Endpoint;
import dev.asyncrpc.internal.transport.Transports;
import dev.asyncrpc.test.RawPeer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link CallDispatch} on its own: calls made as the connection makes them, a lane over an
 * executor that holds its tasks until the test runs them (or refuses them all), and a
 * {@link ServerConnection} on an {@link EmbeddedChannel} only as the calls' home (their replies).
 * The implementations log each invocation with whether the dispatch ran it on the event loop.
 */
class CallDispatchTests {

    /** The operations dispatched: an asynchronous one and a plain one. */
    @RemoteService("dispatch")
    public interface Probe {

        @AsyncRemote
        CompletableFuture<String> async(String tag);

        String plain(String tag);
    }

    /** Logs "tag loop" or "tag worker" per invocation. */
    public static final class ProbeEndpoint implements Probe {

        final List<String> log = new ArrayList<>();
        CallDispatch dispatch;

        @Override
        public CompletableFuture<String> async(String tag) {
            this.log.add(tag + (this.dispatch.isRunningOnLoop() ? " loop" : " worker"));
            return CompletableFuture.completedFuture(tag);
        }

        @Override
        public String plain(String tag) {
            this.log.add(tag + (this.dispatch.isRunningOnLoop() ? " loop" : " worker"));
            return tag;
        }
    }

    /** An executor that keeps the tasks it is given until the test runs them, first in first out. */
    static final class HeldExecutor extends AbstractExecutorService {

        final ArrayDeque<Runnable> tasks = new ArrayDeque<>();

        @Override
        public void execute(Runnable command) {
            this.tasks.add(command);
        }

        /** Run the tasks held now and those they hand on, in order. */
        void runAll() {
            Runnable task;
            while ((task = this.tasks.poll()) != null) {
                task.run();
            }
        }

        @Override
        public void shutdown() {
        }

        @Override
        public List<Runnable> shutdownNow() {
            return List.of();
        }

        @Override
        public boolean isShutdown() {
            return false;
        }

        @Override
        public boolean isTerminated() {
            return false;
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return true;
        }
    }

    private static final Settings SETTINGS = Settings.DEFAULTS;

    private static final ProbeEndpoint PROBE = new ProbeEndpoint();

    private static final ServerRuntime RUNTIME = new ServerRuntime(new Endpoint(Endpoint.Kind.TCP, "127.0.0.1", 0, null),
            ServiceRegistry.of(List.of(PROBE), new Codecs(SETTINGS.maxFrameSize())), SETTINGS, new ServerConnectionFuzzTests.DirectExecutor(),
            false, new Transports("dispatch-tests", 1), true, null, io.netty.handler.ssl.ClientAuth.NONE, CallObserver.NONE);

    private static final ServerMethod ASYNC = RUNTIME.registry().find("dispatch/async");

    private static final ServerMethod PLAIN = RUNTIME.registry().find("dispatch/plain");

    private final ServerConnection connection = new ServerConnection(RUNTIME);
    private final EmbeddedChannel ch = new EmbeddedChannel(this.connection);
    private final HeldExecutor executor = new HeldExecutor();
    private CallDispatch dispatch = dispatchOver(this.executor);
    private int nextCallId = 1;
    /** Every call made, discarded after the test so that a failed test leaves nothing charged for the next. */
    private final List<ServerCallContext> made = new ArrayList<>();

    CallDispatchTests() {
        PROBE.log.clear();
        ASYNC.inline = new InlineGate("dispatch/async", 60_000_000_000L); // warming up: closed
        PLAIN.inline = null;
    }

    @AfterEach
    void close() {
        RUNTIME.directDispatch = false;
        long charged = RUNTIME.memory().used();
        this.made.forEach(ServerCallContext::discard);
        this.ch.runPendingTasks(); // replies: drained and released (no call of this connection's table)
        this.ch.finishAndReleaseAll();
        assertThat(charged).as("argument bytes still charged after the test").isZero();
    }

    @AfterAll
    static void closeRuntime() {
        RUNTIME.close();
    }

    private CallDispatch dispatchOver(java.util.concurrent.ExecutorService workers) {
        CallDispatch d = new CallDispatch(new WorkerDispatch(workers, 16).newLane(), RUNTIME, this.ch.eventLoop());
        PROBE.dispatch = d;
        return d;
    }

    /** Open the asynchronous operation's gate, as its warm-up on the workers would. */
    private static void openGate() {
        for (int i = 0; i < InlineGate.WARM_UP; i++) {
            ASYNC.inline.invoked(0, false);
        }
        assertThat(ASYNC.inline.isOpen()).isTrue();
    }

    /** A call as the connection makes it once admitted: its arguments charged to the memory budget. */
    private ServerCallContext call(ServerMethod method, String tag, int orderingKey) {
        byte[] arg = RawPeer.cborText(tag);
        ByteBuf args = Unpooled.buffer().writeByte(1).writeInt(arg.length).writeBytes(arg);
        int charge = args.readableBytes();
        assertThat(RUNTIME.memory().tryReserve(charge)).isTrue();
        ServerCallContext call = new ServerCallContext(this.nextCallId++, method, this.connection, args, orderingKey, -1, java.util.Map.of());
        call.argumentCharge = charge;
        this.made.add(call);
        return call;
    }

    /** The call's answer not yet drained to the connection: "REPLY", or "ERROR status". */
    private static String answer(ServerCallContext call) {
        ByteBuf f = call.response;
        if (f == null) {
            return "none";
        }
        FrameType type = FrameType.fromCode(f.getUnsignedByte(f.readerIndex() + 4));
        return (type == FrameType.ERROR) ? "ERROR " + Status.fromCode(f.getUnsignedShort(f.readerIndex() + 10)) : type.name();
    }

    private void add(ServerCallContext... calls) {
        for (ServerCallContext call : calls) {
            this.dispatch.add(call);
        }
    }

    @Test
    void asynchronousCallsWaitForTheEndOfTheReadAndThenRunInlineInArrivalOrder() {
        openGate();
        ServerCallContext a = call(ASYNC, "a", 0);
        ServerCallContext b = call(ASYNC, "b", 0);
        ServerCallContext c = call(ASYNC, "c", 0);
        add(a, b, c);
        assertThat(this.dispatch.hasWaiting()).isTrue();
        assertThat(PROBE.log).isEmpty();
        this.dispatch.readComplete();
        assertThat(PROBE.log).containsExactly("a loop", "b loop", "c loop");
        assertThat(this.executor.tasks).isEmpty();
        assertThat(this.dispatch.hasWaiting()).isFalse();
        assertThat(this.dispatch.isRunningOnLoop()).isFalse();
        assertThat(List.of(a.inline, b.inline, c.inline)).containsExactly(true, true, true);
        assertThat(List.of(answer(a), answer(b), answer(c))).containsExactly("REPLY", "REPLY", "REPLY");
    }

    @Test
    void aPlainCallWithoutAnOrderingKeyGoesToTheWorkersAtOnce() {
        ServerCallContext p = call(PLAIN, "p", 0);
        add(p);
        assertThat(this.dispatch.hasWaiting()).isFalse();
        assertThat(this.executor.tasks).hasSize(1);
        this.dispatch.readComplete();
        assertThat(PROBE.log).isEmpty();
        this.executor.runAll();
        assertThat(PROBE.log).containsExactly("p worker");
        assertThat(p.inline).isFalse();
        assertThat(answer(p)).isEqualTo("REPLY");
    }

    @Test
    void whileTheGateIsClosedTheBatchGoesToTheWorkersAsOneTask() {
        ServerCallContext a = call(ASYNC, "a", 0);
        ServerCallContext b = call(ASYNC, "b", 0);
        add(a, b);
        this.dispatch.readComplete();
        assertThat(PROBE.log).isEmpty();
        assertThat(this.executor.tasks).hasSize(1);
        this.executor.runAll();
        assertThat(PROBE.log).containsExactly("a worker", "b worker");
        assertThat(List.of(a.inline, b.inline)).containsExactly(false, false);
    }

    @Test
    void fromTheFirstCallThatCannotRunInlineTheRestOfTheReadGoesToTheWorkers() {
        openGate();
        ServerCallContext a = call(ASYNC, "a", 0);
        ServerCallContext large = call(ASYNC, "L".repeat(ServerRuntime.INLINE_MAX_ARGUMENT_BYTES), 0);
        ServerCallContext c = call(ASYNC, "c", 0);
        add(a, large, c);
        this.dispatch.readComplete();
        assertThat(PROBE.log).containsExactly("a loop");
        assertThat(this.executor.tasks).hasSize(1);
        this.executor.runAll();
        assertThat(PROBE.log).containsExactly("a loop", "L".repeat(ServerRuntime.INLINE_MAX_ARGUMENT_BYTES) + " worker", "c worker");
        assertThat(List.of(a.inline, large.inline, c.inline)).containsExactly(true, false, false);
    }

    @Test
    void directDispatchRunsAsynchronousCallsInlineWithoutAGateUntilAPlainOne() {
        RUNTIME.directDispatch = true;
        ASYNC.inline = null;
        ServerCallContext a = call(ASYNC, "a", 0);
        ServerCallContext p = call(PLAIN, "p", 5);
        ServerCallContext b = call(ASYNC, "b", 0);
        add(a, p, b);
        this.dispatch.readComplete();
        assertThat(PROBE.log).containsExactly("a loop");
        assertThat(this.executor.tasks).as("b as a task of its own, p as the first unit of key 5").hasSize(2);
        this.executor.runAll();
        assertThat(PROBE.log).containsExactly("a loop", "b worker", "p worker");
    }

    @Test
    void callsOfOneOrderingKeyStartInArrivalOrder() {
        openGate();
        ServerCallContext a = call(ASYNC, "a", 7);
        ServerCallContext p = call(PLAIN, "p", 7);
        ServerCallContext b = call(ASYNC, "b", 7);
        ServerCallContext x = call(ASYNC, "x", 9);
        ServerCallContext c = call(ASYNC, "c", 7);
        add(a, p, b, x, c);
        assertThat(this.dispatch.hasWaiting()).isTrue();
        this.dispatch.readComplete();
        assertThat(PROBE.log).containsExactly("a loop");
        assertThat(this.executor.tasks).as("p for key 7 (b and c wait for it to enter its method), x for key 9").hasSize(2);
        assertThat(p.entry).isNotNull();
        this.executor.runAll();
        assertThat(PROBE.log).containsExactly("a loop", "p worker", "b worker", "c worker", "x worker");
        // key 7 has nothing pending now: its next call runs inline again
        ServerCallContext d = call(ASYNC, "d", 7);
        add(d);
        this.dispatch.readComplete();
        assertThat(PROBE.log).containsExactly("a loop", "p worker", "b worker", "c worker", "x worker", "d loop");
        assertThat(this.executor.tasks).isEmpty();
    }

    @Test
    void aKeyWithWorkPendingKeepsItsLaterCallsAndTheRestOfTheReadOffTheLoop() {
        openGate();
        ServerCallContext p = call(PLAIN, "p", 7);
        add(p);
        this.dispatch.readComplete();
        assertThat(this.executor.tasks).hasSize(1);
        ServerCallContext e = call(ASYNC, "e", 7);
        ServerCallContext f = call(ASYNC, "f", 0);
        add(e, f);
        this.dispatch.readComplete();
        assertThat(PROBE.log).isEmpty();
        assertThat(this.executor.tasks).as("p, then f; e waits behind p").hasSize(2);
        this.executor.runAll();
        assertThat(PROBE.log).containsExactly("p worker", "e worker", "f worker");
        assertThat(List.of(p.inline, e.inline, f.inline)).containsExactly(false, false, false);
    }

    @Test
    void callsTheExecutorRefusesFailAndNeverRunInline() {
        WorkLaneTests.Refusing refusing = new WorkLaneTests.Refusing();
        this.dispatch = dispatchOver(refusing);
        ServerCallContext plain = call(PLAIN, "plain", 0);
        ServerCallContext a = call(ASYNC, "a", 0);
        ServerCallContext b = call(ASYNC, "b", 0);
        ServerCallContext p = call(PLAIN, "p", 3);
        ServerCallContext q = call(ASYNC, "q", 3);
        add(plain, a, b, p, q);
        assertThat(answer(plain)).isEqualTo("ERROR RESOURCE_EXHAUSTED");
        this.dispatch.readComplete();
        assertThat(PROBE.log).isEmpty();
        assertThat(List.of(answer(a), answer(b), answer(p), answer(q)))
                .containsExactly("ERROR RESOURCE_EXHAUSTED", "ERROR RESOURCE_EXHAUSTED", "ERROR RESOURCE_EXHAUSTED", "ERROR RESOURCE_EXHAUSTED");
        assertThat(List.of(plain.inline, a.inline, b.inline, p.inline, q.inline)).containsExactly(false, false, false, false, false);
        // key 3 is not stuck behind its refused units: with the gate open its next call runs inline
        openGate();
        ServerCallContext r = call(ASYNC, "r", 3);
        add(r);
        this.dispatch.readComplete();
        assertThat(PROBE.log).containsExactly("r loop");
    }

    @Test
    void theBatchListIsReusedAfterARead() throws ReflectiveOperationException {
        openGate();
        java.lang.reflect.Field field = CallDispatch.class.getDeclaredField("batch");
        field.setAccessible(true);
        Object list = field.get(this.dispatch);
        add(call(ASYNC, "a", 0), call(ASYNC, "b", 0));
        this.dispatch.readComplete();
        assertThat(PROBE.log).containsExactly("a loop", "b loop");
        assertThat(field.get(this.dispatch)).as("the same list after an all-inline read").isSameAs(list);
        assertThat((List<?>) field.get(this.dispatch)).isEmpty();
        add(call(ASYNC, "c", 0), call(PLAIN, "p", 4), call(ASYNC, "d", 0));
        this.dispatch.readComplete();
        assertThat((List<?>) field.get(this.dispatch)).isEmpty();
        this.executor.runAll();
        assertThat(PROBE.log).containsExactly("a loop", "b loop", "c loop", "d worker", "p worker");
        add(call(ASYNC, "e", 0));
        this.dispatch.readComplete();
        assertThat(PROBE.log).as("nothing of the earlier reads runs again").containsExactly("a loop", "b loop", "c loop", "d worker", "p worker", "e loop");
    }

    @Test
    void callsWaitingWhenTheConnectionGoesAreDiscardedNeverRun() {
        openGate();
        ServerCallContext a = call(ASYNC, "a", 0);
        ServerCallContext b = call(ASYNC, "b", 2);
        add(a, b);
        this.dispatch.discardWaiting();
        assertThat(this.dispatch.hasWaiting()).isFalse();
        this.dispatch.readComplete();
        assertThat(PROBE.log).isEmpty();
        assertThat(this.executor.tasks).isEmpty();
        assertThat(List.of(answer(a), answer(b))).containsExactly("none", "none");
    }
}
