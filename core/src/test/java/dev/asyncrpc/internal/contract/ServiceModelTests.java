package dev.asyncrpc.internal.contract;

import java.util.concurrent.CompletableFuture;

import dev.asyncrpc.AsyncCall;
import dev.asyncrpc.AsyncRemote;
import dev.asyncrpc.AsyncReply;
import dev.asyncrpc.RemoteService;
import dev.asyncrpc.test.Calc;
import dev.asyncrpc.test.CalcAsync;
import dev.asyncrpc.test.CalcAsyncEndpoint;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ServiceModelTests {

    @RemoteService("shop")
    interface Overloaded {
        String find(String sku);

        String find(int id);
    }

    @RemoteService("shop")
    interface FutureWithoutAnnotation {
        CompletableFuture<String> find(String sku);
    }

    @RemoteService("shop")
    interface AnnotatedButBlocking {
        @AsyncRemote
        String find(String sku);
    }

    @RemoteService("shop")
    interface RawFuture {
        @SuppressWarnings("rawtypes")
        @AsyncRemote
        CompletableFuture find(String sku);
    }

    @RemoteService("shop")
    interface ReplyOnCaller {
        @AsyncRemote
        void find(String sku, AsyncReply<String> reply);
    }

    @RemoteService("shop")
    interface HandleOnImplementer {
        @AsyncRemote
        AsyncCall<String> find(String sku);
    }

    interface NotAnnotated {
        String find(String sku);
    }

    @RemoteService("bad/name")
    interface BadName {
        String find(String sku);
    }

    @Test
    void overloadedNamesAreRejectedNamingBoth() {
        assertThatIllegalArgumentException().isThrownBy(() -> ServiceModel.of(Overloaded.class, ServiceModel.Side.CALLER))
                .withMessageContaining("overloads operation names")
                .withMessageContaining("Overloaded.find(String)")
                .withMessageContaining("Overloaded.find(int)")
                .withMessageContaining("give each overload its own name");
    }

    @Test
    void asyncReturnTypeWithoutAsyncRemoteIsRejectedWithTheFix() {
        assertThatIllegalArgumentException().isThrownBy(() -> ServiceModel.of(FutureWithoutAnnotation.class, ServiceModel.Side.CALLER))
                .withMessageContaining("FutureWithoutAnnotation.find(String) returns CompletableFuture but is not annotated @AsyncRemote")
                .withMessageContaining("add @AsyncRemote");
    }

    @Test
    void asyncRemoteWithBlockingReturnTypeIsRejectedWithTheFix() {
        assertThatIllegalArgumentException().isThrownBy(() -> ServiceModel.of(AnnotatedButBlocking.class, ServiceModel.Side.CALLER))
                .withMessageContaining("AnnotatedButBlocking.find(String) is annotated @AsyncRemote but returns String, which blocks")
                .withMessageContaining("AsyncCall<String>");
        assertThatIllegalArgumentException().isThrownBy(() -> ServiceModel.of(AnnotatedButBlocking.class, ServiceModel.Side.IMPLEMENTER))
                .withMessageContaining("AsyncReply<String>");
    }

    @Test
    void rawFutureIsRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> ServiceModel.of(RawFuture.class, ServiceModel.Side.CALLER))
                .withMessageContaining("raw CompletableFuture");
    }

    @Test
    void handlesBelongToTheirSide() {
        assertThatIllegalArgumentException().isThrownBy(() -> ServiceModel.of(ReplyOnCaller.class, ServiceModel.Side.CALLER))
                .withMessageContaining("AsyncReply");
        assertThatIllegalArgumentException().isThrownBy(() -> ServiceModel.of(HandleOnImplementer.class, ServiceModel.Side.IMPLEMENTER))
                .withMessageContaining("AsyncCall, which is the caller's handle");
    }

    @Test
    void contractMustBeAnAnnotatedInterfaceWithAPlainName() {
        assertThatIllegalArgumentException().isThrownBy(() -> ServiceModel.of(NotAnnotated.class, ServiceModel.Side.CALLER))
                .withMessageContaining("is not annotated @RemoteService");
        assertThatIllegalArgumentException().isThrownBy(() -> ServiceModel.of(BadName.class, ServiceModel.Side.CALLER))
                .withMessageContaining("contain no '/'");
        assertThatIllegalArgumentException().isThrownBy(() -> ServiceModel.of(String.class, ServiceModel.Side.CALLER))
                .withMessageContaining("is not an interface");
    }

    @Test
    void plainAndAsyncViewsDescribeTheSameWireOperations() {
        ServiceModel plain = ServiceModel.of(Calc.class, ServiceModel.Side.CALLER);
        ServiceModel async = ServiceModel.of(CalcAsync.class, ServiceModel.Side.CALLER);
        ServiceModel implementer = ServiceModel.of(CalcAsyncEndpoint.class, ServiceModel.Side.IMPLEMENTER);
        assertThat(async.operations().values()).extracting(OperationModel::fullName)
                .containsExactlyElementsOf(plain.operations().values().stream().map(OperationModel::fullName).toList());
        OperationModel echo = implementer.operations().values().stream().filter(o -> o.name().equals("echo")).findFirst().orElseThrow();
        assertThat(echo.returnKind()).isEqualTo(ReturnKind.REPLY_HANDLE);
        assertThat(echo.wireParameterTypes()).containsExactly(String.class);
        assertThat(echo.valueType()).isEqualTo(String.class);
    }
}
