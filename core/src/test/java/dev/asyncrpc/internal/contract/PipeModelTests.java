package dev.asyncrpc.internal.contract;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.asyncrpc.AsyncRemote;
import dev.asyncrpc.InPipe;
import dev.asyncrpc.OutPipe;
import dev.asyncrpc.RemoteService;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** How the contract model classifies pipe parameters, and its messages for pipes declared wrong. */
class PipeModelTests {

    record Row(String name) {
    }

    @RemoteService("shop")
    interface Mixed {
        String export(String query, OutPipe<Row> rows, int limit, InPipe<byte[]> attachments);
    }

    @RemoteService("shop")
    interface MixedFlux {
        @AsyncRemote
        Flux<Row> export(String query, int limit, InPipe<byte[]> attachments);
    }

    @RemoteService("shop")
    interface RawPipe {
        @SuppressWarnings("rawtypes")
        void upload(InPipe records);
    }

    @RemoteService("shop")
    interface WildcardPipe {
        void upload(OutPipe<?> records);
    }

    @RemoteService("shop")
    interface PipeOfPipes {
        void upload(InPipe<OutPipe<String>> records);
    }

    @RemoteService("shop")
    interface FluxImplementer {
        @AsyncRemote
        Flux<Row> export(String query);
    }

    @RemoteService("shop")
    interface FluxWithoutAsync {
        Flux<Row> export(String query);
    }

    @RemoteService("shop")
    interface AsyncWithPipes {
        @AsyncRemote
        CompletableFuture<Integer> upload(InPipe<List<Row>> batches);
    }

    @Test
    void pipesAreNeitherCallArgumentsNorTheReplyAndAreIndexedAmongPipes() {
        OperationModel op = ServiceModel.of(Mixed.class, ServiceModel.Side.IMPLEMENTER).operations().values().iterator().next();
        assertThat(op.wireParameterIndexes()).containsExactly(0, 2);
        assertThat(op.pipes()).extracting(PipeParameter::parameterIndex, PipeParameter::pipeIndex, PipeParameter::in)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, 0, false), org.assertj.core.groups.Tuple.tuple(3, 1, true));
        assertThat(op.pipes()[0].elementType()).isEqualTo(Row.class);
        assertThat(op.pipes()[1].elementType()).isEqualTo(byte[].class);
        assertThat(op.valueType()).isEqualTo(String.class);
    }

    @Test
    void callersFluxReturnIsAnOutPipeAfterTheDeclaredPipes() {
        OperationModel op = ServiceModel.of(MixedFlux.class, ServiceModel.Side.CALLER).operations().values().iterator().next();
        assertThat(op.returnKind()).isEqualTo(ReturnKind.FLUX);
        assertThat(op.isVoid()).isTrue();
        assertThat(op.wireParameterIndexes()).containsExactly(0, 1);
        assertThat(op.pipes()).extracting(PipeParameter::parameterIndex, PipeParameter::pipeIndex, PipeParameter::in)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(2, 0, true), org.assertj.core.groups.Tuple.tuple(-1, 1, false));
        assertThat(op.pipes()[1].elementType()).isEqualTo(Row.class);
    }

    @Test
    void genericElementTypesAreKept() {
        OperationModel op = ServiceModel.of(AsyncWithPipes.class, ServiceModel.Side.CALLER).operations().values().iterator().next();
        assertThat(op.pipes()[0].elementType().getTypeName()).isEqualTo("java.util.List<" + Row.class.getName() + ">");
        assertThat(op.wireParameterIndexes()).isEmpty();
    }

    @Test
    void rawPipeIsRejectedNamingTheMethodAndTheFix() {
        assertThatIllegalArgumentException().isThrownBy(() -> ServiceModel.of(RawPipe.class, ServiceModel.Side.CALLER))
                .withMessage("RawPipe.upload(InPipe) uses a raw InPipe: declare the element type, for example InPipe<String> or InPipe<byte[]>");
    }

    @Test
    void wildcardElementTypeIsRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> ServiceModel.of(WildcardPipe.class, ServiceModel.Side.IMPLEMENTER))
                .withMessage("WildcardPipe.upload(OutPipe) declares OutPipe<?>: the element type must be concrete (the receiver decodes exactly that type), for example OutPipe<String>");
    }

    @Test
    void pipeOfPipesIsRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> ServiceModel.of(PipeOfPipes.class, ServiceModel.Side.IMPLEMENTER))
                .withMessageStartingWith("PipeOfPipes.upload(InPipe) declares InPipe<dev.asyncrpc.OutPipe<java.lang.String>>: pipe elements are values");
    }

    @Test
    void fluxReturnIsAnImplicitOutPipeOnBothSides() {
        for (ServiceModel.Side side : ServiceModel.Side.values()) {
            OperationModel export = ServiceModel.of(FluxImplementer.class, side).operations().values().iterator().next();
            assertThat(export.returnKind()).isEqualTo(ReturnKind.FLUX);
            assertThat(export.valueType()).isEqualTo(Void.class);
            assertThat(export.pipes()).singleElement().satisfies((p) -> {
                assertThat(p.isImplicit()).isTrue();
                assertThat(p.in()).isFalse();
            });
        }
        assertThatIllegalArgumentException().isThrownBy(() -> ServiceModel.of(FluxWithoutAsync.class, ServiceModel.Side.CALLER))
                .withMessage("FluxWithoutAsync.export(String) returns Flux but is not annotated @AsyncRemote: add @AsyncRemote, "
                        + "or make it a plain method that returns the value");
    }
}
