package dev.asyncrpc;

import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.asyncrpc.ServerInterceptorTests.AsyncNotes;
import dev.asyncrpc.ServerInterceptorTests.PlainNotes;
import dev.asyncrpc.test.Notes;
import dev.asyncrpc.test.NotesAsync;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@link ServerExceptionMapper} maps NoSuchElementException to NOT_FOUND for plain and
 * asynchronous implementations and for pipe callbacks; other exceptions keep the default mapping.
 */
class ExceptionMapperTests {

    static final ServerExceptionMapper NOT_FOUND = (call, ex) -> (ex instanceof NoSuchElementException)
            ? new RemoteCallException(Status.NOT_FOUND, call.operation() + ": " + ex.getMessage()) : null;

    /** Throws NoSuchElementException for "missing", IllegalStateException for "broken". */
    static final class Throwing implements Notes {
        @Override
        public String find(String key) {
            if (key.equals("missing")) {
                throw new NoSuchElementException("no note '" + key + "'");
            }
            if (key.equals("broken")) {
                throw new IllegalStateException("the store is broken");
            }
            return "note " + key;
        }

        @Override
        public int count(InPipe<String> words) {
            return 0;
        }
    }

    private static AsyncRpcServer server(Object implementation) {
        return AsyncRpcServer.builder().host("127.0.0.1").port(0).service(implementation).exceptionMapper(NOT_FOUND).build().start();
    }

    private static RemoteCallException failure(ThrowingCall call) {
        try {
            call.run();
        }
        catch (RemoteCallException ex) {
            return ex;
        }
        catch (java.util.concurrent.ExecutionException ex) {
            return (RemoteCallException) ex.getCause();
        }
        catch (Exception ex) {
            throw new AssertionError("expected a RemoteCallException", ex);
        }
        throw new AssertionError("the call succeeded");
    }

    interface ThrowingCall {
        void run() throws Exception;
    }

    @Test
    void aPlainImplementationsNoSuchElementExceptionBecomesNotFound() {
        try (AsyncRpcServer server = server(new Throwing());
                AsyncRpcClient client = AsyncRpcClient.builder().address(server.address()).build()) {
            RemoteCallException ex = failure(() -> client.proxy(Notes.class).find("missing"));
            assertThat(ex.status()).isEqualTo(Status.NOT_FOUND);
            assertThat(ex.description()).isEqualTo("find: no note 'missing'");
            assertThat(ex.status().isRetrySafe()).isFalse();
        }
    }

    @Test
    void otherExceptionsKeepTheDefaultMapping() {
        try (AsyncRpcServer server = server(new Throwing());
                AsyncRpcClient client = AsyncRpcClient.builder().address(server.address()).build()) {
            RemoteCallException ex = failure(() -> client.proxy(Notes.class).find("broken"));
            assertThat(ex.status()).isEqualTo(Status.APPLICATION_ERROR);
            assertThat(ex.description()).isEqualTo("the store is broken");
            assertThat(client.proxy(Notes.class).find("there")).isEqualTo("note there");
        }
    }

    @Test
    void anAsynchronousImplementationsFailedFutureIsMappedToo() {
        try (AsyncRpcServer server = server(new AsyncNotes());
                AsyncRpcClient client = AsyncRpcClient.builder().address(server.address()).build()) {
            RemoteCallException ex = failure(() -> client.proxy(NotesAsync.class).find("missing").get(10, TimeUnit.SECONDS));
            assertThat(ex.status()).isEqualTo(Status.NOT_FOUND);
            assertThat(ex.description()).isEqualTo("find: no note 'missing'");
        }
    }

    @Test
    void anExceptionFromAPipeCallbackFailsTheCallMapped() {
        try (AsyncRpcServer server = server(new AsyncNotes());
                AsyncRpcClient client = AsyncRpcClient.builder().address(server.address()).build()) {
            InPipe<String> words = InPipe.create();
            CompletableFuture<Integer> counted = client.proxy(NotesAsync.class).count(words);
            words.push("a", "boom");
            RemoteCallException ex = failure(() -> counted.get(10, TimeUnit.SECONDS));
            assertThat(ex.status()).isEqualTo(Status.NOT_FOUND);
            assertThat(ex.description()).isEqualTo("count: no word 'boom'");
        }
    }

    @Test
    void withoutAMapperAPipeCallbacksExceptionFailsTheCallWithTheDefault() {
        try (AsyncRpcServer server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(new AsyncNotes()).build().start();
                AsyncRpcClient client = AsyncRpcClient.builder().address(server.address()).build()) {
            InPipe<String> words = InPipe.create();
            CompletableFuture<Integer> counted = client.proxy(NotesAsync.class).count(words);
            words.push("boom");
            RemoteCallException ex = failure(() -> counted.get(10, TimeUnit.SECONDS));
            assertThat(ex.status()).isEqualTo(Status.APPLICATION_ERROR);
            assertThat(ex.description()).isEqualTo("no word 'boom'");
        }
    }
}
