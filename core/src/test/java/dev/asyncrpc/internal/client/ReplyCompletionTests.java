package dev.asyncrpc.internal.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import dev.asyncrpc.AsyncRemote;
import dev.asyncrpc.CallOptions;
import dev.asyncrpc.Ordering;
import dev.asyncrpc.RemoteCallException;
import dev.asyncrpc.RemoteService;
import dev.asyncrpc.Status;
import dev.asyncrpc.internal.codec.Codecs;
import dev.asyncrpc.internal.contract.OperationModel;
import dev.asyncrpc.internal.contract.ServiceModel;
import dev.asyncrpc.internal.protocol.Frame;
import dev.asyncrpc.internal.protocol.FrameType;
import dev.asyncrpc.internal.protocol.Frames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReplyCompletionTests {

    @RemoteService("replies")
    public interface Replies {

        @AsyncRemote
        CompletableFuture<String> name(int id);
    }

    private final ClientMethod method;

    ReplyCompletionTests() {
        OperationModel op = ServiceModel.of(Replies.class, ServiceModel.Side.CALLER).operations().values().iterator().next();
        this.method = new ClientMethod(op, new Codecs(), CallOptions.DEFAULT, new ClientDefaults(Duration.ZERO, Ordering.DEFAULT, 8192));
    }

    private CallFuture<Object> call() {
        return new CallFuture<>(this.method, null, 0);
    }

    private Frame reply(String value) {
        ByteBuf payload = Unpooled.buffer();
        new Codecs().forType(String.class).encode(value, payload);
        return new Frame(FrameType.REPLY, 0, 1, payload);
    }

    private static Frame error(Status status, String message) {
        ByteBuf frame = Frames.error(ByteBufAllocator.DEFAULT, 1, status, message);
        ByteBuf payload = frame.retainedSlice(Frames.HEADER, frame.readableBytes() - Frames.HEADER);
        frame.release();
        return new Frame(FrameType.ERROR, 0, 1, payload);
    }

    @Test
    void aReplyCompletesItsCallWithTheDecodedValueAndIsReleased() throws Exception {
        CallFuture<Object> call = call();
        Frame frame = reply("seven");
        ReplyCompletion.complete(call, frame);
        assertThat(call.get()).isEqualTo("seven");
        assertThat(frame.payload().refCnt()).isZero();
    }

    @Test
    void anErrorFailsItsCallWithTheServersStatusAndMessage() {
        CallFuture<Object> call = call();
        Frame frame = error(Status.NOT_FOUND, "no such id");
        ReplyCompletion.complete(call, frame);
        assertThatThrownBy(call::get).isInstanceOf(ExecutionException.class).cause().isInstanceOfSatisfying(RemoteCallException.class, ex -> {
            assertThat(ex.status()).isEqualTo(Status.NOT_FOUND);
            assertThat(ex.description()).isEqualTo("no such id");
        });
        assertThat(frame.payload().refCnt()).isZero();
    }

    @Test
    void aReplyThatCannotBeDecodedFailsItsCallAsInternalNamingTheOperation() {
        CallFuture<Object> call = call();
        Frame frame = new Frame(FrameType.REPLY, 0, 1, Unpooled.wrappedBuffer(new byte[] { (byte) 0xff, 0x01 }));
        ReplyCompletion.complete(call, frame);
        assertThatThrownBy(call::get).cause().isInstanceOfSatisfying(RemoteCallException.class, ex -> {
            assertThat(ex.status()).isEqualTo(Status.INTERNAL);
            assertThat(ex.description()).contains("name");
        });
        assertThat(frame.payload().refCnt()).isZero();
    }

    @Test
    void onTheLoopOnlyCallsThatRunNoUserCodeAreCompletedAndTheRestKeepTheirOrder() throws Exception {
        CallFuture<Object> plain1 = call();
        plain1.completeOnLoop = true;
        CallFuture<Object> async1 = call();
        CallFuture<Object> plain2 = call();
        plain2.completeOnLoop = true;
        CallFuture<Object> async2 = call();
        List<Object> batch = new ArrayList<>(List.of(plain1, reply("a"), async1, reply("b"), plain2, reply("c"), async2, reply("d")));
        List<Object> later = ReplyCompletion.onLoop(batch);
        assertThat(plain1.get()).isEqualTo("a");
        assertThat(plain2.get()).isEqualTo("c");
        assertThat(async1.isDone()).isFalse();
        assertThat(later).hasSize(4).containsExactly(async1, later.get(1), async2, later.get(3));
        ReplyCompletion.complete(later);
        assertThat(async1.get()).isEqualTo("b");
        assertThat(async2.get()).isEqualTo("d");
    }

    @Test
    void aBatchWithNothingForTheLoopIsHandedOverWholeAndOneWithOnlyLoopCallsLeavesNothing() throws Exception {
        CallFuture<Object> async = call();
        List<Object> none = new ArrayList<>(List.of(async, reply("x")));
        assertThat(ReplyCompletion.onLoop(none)).isSameAs(none);
        ReplyCompletion.complete(none);
        assertThat(async.get()).isEqualTo("x");

        CallFuture<Object> plain = call();
        plain.completeOnLoop = true;
        assertThat(ReplyCompletion.onLoop(new ArrayList<>(List.of(plain, reply("y"))))).isNull();
        assertThat(plain.get()).isEqualTo("y");
    }
}
