package dev.asyncrpc.internal.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.asyncrpc.AsyncRemote;
import dev.asyncrpc.CallOptions;
import dev.asyncrpc.CancelMode;
import dev.asyncrpc.Ordering;
import dev.asyncrpc.PendingCallInfo;
import dev.asyncrpc.RemoteCallException;
import dev.asyncrpc.RemoteService;
import dev.asyncrpc.Status;
import dev.asyncrpc.internal.codec.Codecs;
import dev.asyncrpc.internal.contract.OperationModel;
import dev.asyncrpc.internal.contract.ServiceModel;
import dev.asyncrpc.internal.protocol.FrameType;
import dev.asyncrpc.internal.protocol.Frames;
import dev.asyncrpc.internal.protocol.Settings;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The call table of a client connection on an {@link EmbeddedChannel}: ids, the queue of calls
 * beyond the server's limit or before the handshake, cancels, deadlines, answers and close.
 */
class ClientCallsTests {

    @RemoteService("calls")
    public interface Calls {

        @AsyncRemote
        CompletableFuture<String> echo(String text);
    }

    private final EmbeddedChannel channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
    private final AtomicInteger queued = new AtomicInteger();
    /** Outcomes the table decided, run by the test ({@link #runCompletions()}). */
    private final List<Runnable> completions = new ArrayList<>();
    /** Calls without pipes never touch the pipe table. */
    private final ClientCalls calls = new ClientCalls(this.queued, null, this.completions::add, this.channel.eventLoop());
    private final ClientMethod plain = method(CallOptions.DEFAULT);
    private final ClientMethod timed = method(CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(10)));

    private static ClientMethod method(CallOptions options) {
        OperationModel op = ServiceModel.of(Calls.class, ServiceModel.Side.CALLER).operations().values().iterator().next();
        return new ClientMethod(op, new Codecs(), options, new ClientDefaults(Duration.ZERO, Ordering.DEFAULT, 8192));
    }

    private CallFuture<Object> call(ClientMethod method, String text, long deadlineNanos) {
        return new CallFuture<>(method, method.encodeCall(ByteBufAllocator.DEFAULT, new Object[] { text }), deadlineNanos);
    }

    private CallFuture<Object> call() {
        return call(this.plain, "x", 0);
    }

    private CallFuture<Object> timedCall() {
        return call(this.timed, "x", System.nanoTime() + this.timed.timeoutNanos);
    }

    private void handshake(Settings peer) {
        this.calls.context(this.channel.pipeline().firstContext());
        this.calls.ready(peer, false);
        this.calls.startWaiting();
        this.channel.flushOutbound();
    }

    private void runCompletions() {
        List<Runnable> tasks = new ArrayList<>(this.completions);
        this.completions.clear();
        tasks.forEach(Runnable::run);
    }

    /** The frames written since the last call: (type, call id) of each, released. */
    private List<String> written() {
        this.channel.flushOutbound();
        List<String> out = new ArrayList<>();
        ByteBuf buf;
        while ((buf = this.channel.readOutbound()) != null) {
            FrameType type = FrameType.fromCode(buf.getByte(buf.readerIndex() + Frames.LENGTH_FIELD));
            out.add(type + " " + buf.getInt(buf.readerIndex() + Frames.CALL_ID_OFFSET));
            buf.release();
        }
        return out;
    }

    private static RemoteCallException failure(CallFuture<?> call) {
        assertThat(call).isCompletedExceptionally();
        return (RemoteCallException) call.handle((value, t) -> t).join();
    }

    @AfterEach
    void noFrameLeftUnread() {
        assertThat(written()).isEmpty();
        assertThat(this.channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void callsWaitForTheHandshakeAndThenStartInOrderWithIdsFromOne() {
        CallFuture<Object> a = call();
        CallFuture<Object> b = call();
        this.calls.offer(a);
        this.calls.offer(b);
        assertThat(this.queued).hasValue(2);
        assertThat(this.calls.hasWaiting()).isTrue();
        this.calls.context(this.channel.pipeline().firstContext());
        assertThat(written()).isEmpty();

        handshake(Settings.DEFAULTS);

        assertThat(written()).containsExactly("CALL 1", "CALL 2");
        assertThat(a.id).isEqualTo(1);
        assertThat(b.id).isEqualTo(2);
        assertThat(this.queued).hasValue(0);
        assertThat(this.calls.hasWaiting()).isFalse();
        assertThat(this.calls.isEmpty()).isFalse();
    }

    @Test
    void atTheServersLimitACallWaitsUntilAnAnswerFreesAPlace() {
        handshake(Settings.DEFAULTS.withMaxConcurrentCalls(1));
        CallFuture<Object> a = call();
        CallFuture<Object> b = call();
        this.calls.offer(a);
        this.calls.offer(b);
        assertThat(written()).containsExactly("CALL 1");
        assertThat(this.queued).hasValue(1);

        assertThat(this.calls.answered(1)).isSameAs(a);
        assertThat(this.calls.answered(1)).isNull();
        this.calls.startWaiting();

        assertThat(written()).containsExactly("CALL 2");
        assertThat(this.queued).hasValue(0);
        assertThat(this.calls.answered(2)).isSameAs(b);
        assertThat(this.calls.isEmpty()).isTrue();
    }

    @Test
    void aCallDoneBeforeItIsSentIsDroppedWithItsRequest() {
        handshake(Settings.DEFAULTS);
        CallFuture<Object> call = call();
        call.fail(Status.CANCELLED, "gone");
        this.calls.offer(call);
        assertThat(written()).isEmpty();
        assertThat(call.takeRequest()).isNull();
        assertThat(this.calls.isEmpty()).isTrue();
    }

    @Test
    void cancellingAWaitingCallFailsItHereAsCancelledUnsent() {
        CallFuture<Object> call = call();
        this.calls.offer(call);
        this.calls.cancel(call, CancelMode.ABORTIVE);
        assertThat(this.queued).hasValue(0);
        assertThat(call.takeRequest()).isNull();
        runCompletions();
        assertThat(failure(call).status()).isEqualTo(Status.CANCELLED);
        assertThat(failure(call).description()).isEqualTo("cancelled before it was sent");
        assertThat(this.calls.isEmpty()).isTrue();
    }

    @Test
    void cancellingASentCallWritesACancelWithItsModeAndLeavesTheOutcomeToTheServer() {
        handshake(Settings.DEFAULTS);
        CallFuture<Object> call = call();
        this.calls.offer(call);
        assertThat(written()).containsExactly("CALL 1");
        this.calls.cancel(call, CancelMode.ABORTIVE);
        this.channel.flushOutbound();
        ByteBuf cancel = this.channel.readOutbound();
        assertThat(FrameType.fromCode(cancel.getByte(cancel.readerIndex() + Frames.LENGTH_FIELD))).isEqualTo(FrameType.CANCEL);
        assertThat(cancel.getByte(cancel.writerIndex() - 1)).isEqualTo((byte) 0);
        cancel.release();
        this.calls.cancel(call, CancelMode.GRACEFUL);
        this.channel.flushOutbound();
        cancel = this.channel.readOutbound();
        assertThat(cancel.getByte(cancel.writerIndex() - 1)).isEqualTo((byte) 1);
        cancel.release();
        assertThat(call.isDone()).isFalse();
        assertThat(this.completions).isEmpty();
        assertThat(this.calls.answered(1)).isSameAs(call);
    }

    @Test
    void aRequestLargerThanTheServersMaxFrameSizeFailsUnsent() {
        handshake(Settings.DEFAULTS.withMaxFrameSize(Settings.MIN_FRAME_SIZE));
        CallFuture<Object> call = call(this.plain, "x".repeat(2 * Settings.MIN_FRAME_SIZE), 0);
        this.calls.offer(call);
        assertThat(written()).isEmpty();
        runCompletions();
        assertThat(failure(call).status()).isEqualTo(Status.RESOURCE_EXHAUSTED);
        assertThat(failure(call).description()).endsWith("exceeds the server's maxFrameSize of 1024 bytes");
        assertThat(this.calls.isEmpty()).isTrue();
    }

    @Test
    void aCallWhoseDeadlinePassedBeforeItsStartFailsUnsent() {
        handshake(Settings.DEFAULTS);
        CallFuture<Object> call = call(this.timed, "x", System.nanoTime() - 1);
        this.calls.offer(call);
        assertThat(written()).isEmpty();
        runCompletions();
        assertThat(failure(call).status()).isEqualTo(Status.DEADLINE_EXCEEDED);
        assertThat(failure(call).description()).startsWith("deadline of PT10S passed for ");
    }

    @Test
    void aSentCallWritesItsTimeLeftAndWhenItsDeadlinePassesACancelGoesOutAndItFailsOnce() {
        this.channel.freezeTime();
        handshake(Settings.DEFAULTS);
        CallFuture<Object> call = timedCall();
        this.calls.offer(call);
        this.channel.flushOutbound();
        ByteBuf frame = this.channel.readOutbound();
        long millis = frame.getUnsignedInt(frame.readerIndex() + this.timed.timeoutOffset());
        frame.release();
        assertThat(millis).isBetween(1L, 10_000L); // the time left when it was written, rounded up: not knowable exactly

        this.channel.advanceTimeBy(10, TimeUnit.SECONDS);
        this.channel.runScheduledPendingTasks();

        assertThat(written()).containsExactly("CANCEL 1");
        assertThat(call.expired).isTrue();
        runCompletions();
        assertThat(failure(call).status()).isEqualTo(Status.DEADLINE_EXCEEDED);
        // the server's answer to the cancel decides nothing, but ends the entry
        assertThat(this.calls.answered(1)).isNull();
        assertThat(this.calls.isEmpty()).isTrue();
    }

    @Test
    void anAnswerStopsTheDeadline() {
        this.channel.freezeTime();
        handshake(Settings.DEFAULTS);
        CallFuture<Object> call = timedCall();
        this.calls.offer(call);
        assertThat(written()).containsExactly("CALL 1");
        assertThat(this.calls.answered(1)).isSameAs(call);
        assertThat(call.timer.isCancelled()).isTrue();
        this.channel.advanceTimeBy(10, TimeUnit.SECONDS);
        this.channel.runScheduledPendingTasks();
        assertThat(written()).isEmpty();
        assertThat(this.completions).isEmpty();
    }

    @Test
    void aQueuedCallWhoseDeadlinePassesFailsUnsentNamingWhyItWaited() {
        this.channel.freezeTime();
        CallFuture<Object> beforeHandshake = timedCall();
        this.calls.offer(beforeHandshake);
        this.channel.advanceTimeBy(10, TimeUnit.SECONDS);
        this.channel.runScheduledPendingTasks();
        assertThat(this.queued).hasValue(0);
        assertThat(beforeHandshake.takeRequest()).isNull();
        runCompletions();
        assertThat(failure(beforeHandshake).status()).isEqualTo(Status.DEADLINE_EXCEEDED);
        assertThat(failure(beforeHandshake).description()).endsWith(" while it waited to be sent (the server's handshake was not done)");

        handshake(Settings.DEFAULTS.withMaxConcurrentCalls(1));
        this.calls.offer(call());
        CallFuture<Object> atLimit = timedCall();
        this.calls.offer(atLimit);
        assertThat(written()).containsExactly("CALL 1");
        this.channel.advanceTimeBy(10, TimeUnit.SECONDS);
        this.channel.runScheduledPendingTasks();
        runCompletions();
        assertThat(failure(atLimit).description())
                .endsWith(" while it waited to be sent (the server's limit of 1 concurrent calls was reached)");
        this.calls.answered(1);
        this.calls.startWaiting();
        assertThat(written()).isEmpty();
    }

    @Test
    void closingHandsBackTheSentCallsThenTheWaitingOnesAndReleasesTheirRequests() {
        this.channel.freezeTime();
        handshake(Settings.DEFAULTS.withMaxConcurrentCalls(1));
        CallFuture<Object> sent = timedCall();
        CallFuture<Object> waiting = call();
        this.calls.offer(sent);
        this.calls.offer(waiting);
        assertThat(written()).containsExactly("CALL 1");

        assertThat(this.calls.removeAll()).containsExactly(sent, waiting);

        assertThat(sent.timer.isCancelled()).isTrue();
        assertThat(waiting.takeRequest()).isNull();
        assertThat(this.queued).hasValue(0);
        assertThat(this.calls.isEmpty()).isTrue();
        assertThat(this.calls.answered(1)).isNull();
    }

    @Test
    void aSnapshotListsTheSentAndTheWaitingCalls() {
        handshake(Settings.DEFAULTS.withMaxConcurrentCalls(1));
        this.calls.offer(call());
        this.calls.offer(call());
        assertThat(written()).containsExactly("CALL 1");
        List<PendingCallInfo> out = new ArrayList<>();
        this.calls.snapshot(out, System.nanoTime());
        assertThat(out).hasSize(2).allSatisfy(info -> assertThat(info.operation()).isEqualTo("echo"));
        this.calls.removeAll();
    }
}
