package dev.asyncrpc.spring.autoconfigure.aot;

import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;

import dev.asyncrpc.AsyncCall;
import dev.asyncrpc.AsyncRemote;
import dev.asyncrpc.InPipe;
import dev.asyncrpc.RemoteService;
import dev.asyncrpc.ServerCall;
import dev.asyncrpc.Status;
import dev.asyncrpc.spring.ImportRemoteServices;
import dev.asyncrpc.spring.RemoteAdvice;
import dev.asyncrpc.spring.RemoteEndpoint;
import dev.asyncrpc.spring.RemoteExceptionHandler;
import org.junit.jupiter.api.Test;

import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotContribution;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.javapoet.ClassName;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hints AOT processing contributes for a context's imported clients, endpoints and advice:
 * checked with {@link RuntimeHintsPredicates}.
 */
class AsyncRpcRuntimeHintsTests {

    /** A record travelling as CBOR, reached through a list. */
    public record Line(String text, int number) {
    }

    /** A record travelling as CBOR, holding other records. */
    public record Entry(String id, List<Line> lines) {
    }

    /** A query type, reached only as an argument. */
    public record Query(String prefix, Map<String, Integer> limits) {
    }

    /** A pipe element type. */
    public record Chunk(byte[] data) {
    }

    @RemoteService("journal")
    public interface JournalClient {

        Entry find(String id);

        @AsyncRemote
        CompletableFuture<List<Line>> lines(Query query);

        @AsyncRemote
        AsyncCall<Void> upload(InPipe<Chunk> chunks);
    }

    @RemoteService("journal")
    public interface Journal {

        Entry find(String id);

        List<Line> lines(Query query);

        void upload(InPipe<Chunk> chunks, ServerCall call);
    }

    @RemoteEndpoint
    public static class JournalEndpoint implements Journal {

        @Override
        public Entry find(String id) {
            return new Entry(id, List.of());
        }

        @Override
        public List<Line> lines(Query query) {
            return List.of();
        }

        @Override
        public void upload(InPipe<Chunk> chunks, ServerCall call) {
        }
    }

    @RemoteAdvice
    public static class Errors {

        @RemoteExceptionHandler
        Status notFound(NoSuchElementException ex) {
            return Status.NOT_FOUND;
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportRemoteServices(JournalClient.class)
    @Import({ JournalEndpoint.class, Errors.class })
    static class App {

    }

    private final RuntimeHints hints = process();

    private static RuntimeHints process() {
        try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext()) {
            context.register(App.class);
            context.refreshForAotProcessing(new RuntimeHints());
            BeanFactoryInitializationAotContribution contribution = new AsyncRpcBeanFactoryInitializationAotProcessor()
                .processAheadOfTime(context.getBeanFactory());
            assertThat(contribution).isNotNull();
            DefaultGenerationContext generation = new DefaultGenerationContext(new ClassNameGenerator(ClassName.get(App.class)),
                    new InMemoryGeneratedFiles());
            contribution.applyTo(generation, null);
            return generation.getRuntimeHints();
        }
    }

    @Test
    void aJdkProxyForEachImportedInterface() {
        assertThat(RuntimeHintsPredicates.proxies().forInterfaces(JournalClient.class)).accepts(this.hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(JournalClient.class, "lines")).accepts(this.hints);
    }

    @Test
    void endpointMethodsCanBeInvoked() {
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(JournalEndpoint.class, "find")).accepts(this.hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(JournalEndpoint.class, "upload")).accepts(this.hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Journal.class, "lines")).accepts(this.hints);
    }

    @Test
    void argumentResultAndPipeElementTypesAreBound() {
        for (Class<?> type : List.of(Entry.class, Line.class, Query.class, Chunk.class)) {
            assertThat(RuntimeHintsPredicates.reflection().onType(type)).as("%s", type.getSimpleName()).accepts(this.hints);
        }
        // records: the canonical constructor and the accessors Jackson reads
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Entry.class, "lines")).accepts(this.hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Line.class, "number")).accepts(this.hints);
        assertThat(RuntimeHintsPredicates.reflection().onType(ServerCall.class)).rejects(this.hints);
    }

    @Test
    void adviceHandlersCanBeInvoked() {
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Errors.class, "notFound")).accepts(this.hints);
    }

    @Test
    void valueTypesUnwrapHandlesFuturesAndPipes() {
        // the fields of records are left to BindingReflectionHintsRegistrar (Query's map, Line's int)
        assertThat(AsyncRpcRuntimeHints.valueTypes(JournalClient.class)).containsExactlyInAnyOrder(Entry.class, List.class, Line.class,
                Query.class, Chunk.class);
    }
}
