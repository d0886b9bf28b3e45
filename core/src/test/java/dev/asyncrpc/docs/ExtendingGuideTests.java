package dev.asyncrpc.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.asyncrpc.AsyncRemote;
import dev.asyncrpc.AsyncRpcClient;
import dev.asyncrpc.AsyncRpcServer;
import dev.asyncrpc.ClientInterceptor;
import dev.asyncrpc.RemoteCallException;
import dev.asyncrpc.RemoteService;
import dev.asyncrpc.ServerCall;
import dev.asyncrpc.ServerExceptionMapper;
import dev.asyncrpc.ServerInterceptor;
import dev.asyncrpc.Status;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The code of {@code docs/extending.md} (interceptors and exception mapping without Spring): every
 * snippet between {@code // tag::name[]} and {@code // end::name[]} appears in the guide verbatim,
 * and the tests run it.
 */
class ExtendingGuideTests {

    static final ExecutorService POOL = Executors.newFixedThreadPool(2);

    @AfterAll
    static void stop() {
        POOL.shutdownNow();
    }

    @RemoteService("catalog")
    public interface Catalog {
        String describe(String sku);
    }

    @RemoteService("catalog")
    public interface CatalogAsync {
        @AsyncRemote
        CompletableFuture<String> describe(String sku);
    }

    /** The tenant of the call being served: thread-local state an interceptor makes current. */
    static final class Tenant {
        static final ThreadLocal<String> CURRENT = new ThreadLocal<>();
    }

    // tag::tenant-interceptor[]
    static final ServerInterceptor TENANT = call -> {
        String tenant = call.metadata().get("tenant");
        if (tenant == null) {
            throw new RemoteCallException(Status.PERMISSION_DENIED, "metadata 'tenant' is required");
        }
        call.attach(() -> {                     // current in the implementation and its callbacks
            String previous = Tenant.CURRENT.get();
            Tenant.CURRENT.set(tenant);
            return () -> Tenant.CURRENT.set(previous);
        });
        return null;                            // or a CallListener told the outcome
    };
    // end::tenant-interceptor[]

    static final java.util.List<String> AUDITED = new java.util.concurrent.CopyOnWriteArrayList<>();

    // tag::audit-interceptor[]
    static final ServerInterceptor AUDIT = call -> {
        String who = call.principal().map(java.security.Principal::getName).orElse("anonymous");
        return (status, message) -> AUDITED.add(call.operation() + " by " + who + ": " + (status == null ? "OK" : status));
    };
    // end::audit-interceptor[]

    // tag::async-implementation[]
    static final class AsyncCatalog implements CatalogAsync {
        @Override
        public CompletableFuture<String> describe(String sku) {
            ServerCall call = ServerCall.current();
            return CompletableFuture.supplyAsync(() -> sku + " of " + Tenant.CURRENT.get(), call.wrap(POOL));
        }
    }
    // end::async-implementation[]

    // tag::not-found-mapper[]
    static final ServerExceptionMapper NOT_FOUND = (call, ex) -> (ex instanceof NoSuchElementException)
            ? new RemoteCallException(Status.NOT_FOUND, call.operation() + ": " + ex.getMessage())
            : null;                             // not mine: the next mapper, then the default
    // end::not-found-mapper[]

    static final class PlainCatalog implements Catalog {
        @Override
        public String describe(String sku) {
            if (sku.isEmpty()) {
                throw new NoSuchElementException("no sku ''");
            }
            return sku + " of " + Tenant.CURRENT.get();
        }
    }

    // tag::client-interceptor[]
    static ClientInterceptor tenant(String name) {
        return call -> {
            call.metadata().put("tenant", name);
            return (status, message) -> {
                if (status != null) {
                    System.getLogger("catalog").log(System.Logger.Level.INFO, call.operation() + " failed: " + status);
                }
            };
        };
    }
    // end::client-interceptor[]

    @Test
    void theTenantInterceptorAndTheMapperAtWork() throws Exception {
        // tag::builders[]
        AsyncRpcServer server = AsyncRpcServer.builder().host("127.0.0.1").port(0)
                .service(new PlainCatalog())
                .interceptor(TENANT)                 // every service; interceptors run in the order added
                .interceptor("catalog", AUDIT)       // one service
                .exceptionMapper(NOT_FOUND)
                .build().start();
        AsyncRpcClient client = AsyncRpcClient.builder().address(server.address())
                .interceptor(tenant("acme"))
                .build();
        // end::builders[]
        try (server; client;
                AsyncRpcClient anonymous = AsyncRpcClient.builder().address(server.address()).build()) {
            assertThat(client.proxy(Catalog.class).describe("A-1")).isEqualTo("A-1 of acme");
            assertThatThrownBy(() -> client.proxy(Catalog.class).describe(""))
                    .isInstanceOfSatisfying(RemoteCallException.class, ex -> assertThat(ex.status()).isEqualTo(Status.NOT_FOUND));
            assertThatThrownBy(() -> anonymous.proxy(Catalog.class).describe("A-1"))
                    .isInstanceOfSatisfying(RemoteCallException.class, ex -> assertThat(ex.status()).isEqualTo(Status.PERMISSION_DENIED));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (AUDITED.size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(AUDITED).containsExactly("describe by anonymous: OK", "describe by anonymous: NOT_FOUND"); // the refused call never reached AUDIT
        }
    }

    @Test
    void anAsynchronousImplementationKeepsTheTenantThroughWrap() throws Exception {
        try (AsyncRpcServer server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(new AsyncCatalog()).interceptor(TENANT)
                .build().start();
                AsyncRpcClient client = AsyncRpcClient.builder().address(server.address()).interceptor(tenant("acme")).build()) {
            assertThat(client.proxy(CatalogAsync.class).describe("A-2").get(10, TimeUnit.SECONDS)).isEqualTo("A-2 of acme");
        }
    }

    @Test
    void everySnippetAppearsInTheGuide() throws IOException {
        String source = Files.readString(Path.of("src/test/java/dev/asyncrpc/docs/ExtendingGuideTests.java"));
        String guide = Files.readString(Path.of("../docs/extending.md"));
        Matcher m = Pattern.compile("// tag::([a-z-]+)\\[\\]\\n(.*?)\\n\\s*// end::\\1\\[\\]", Pattern.DOTALL).matcher(source);
        int snippets = 0;
        while (m.find()) {
            assertThat(guide).as("docs/extending.md holds snippet '%s'", m.group(1)).contains(dedent(m.group(2)));
            snippets++;
        }
        assertThat(snippets).isEqualTo(6);
    }

    private static String dedent(String block) {
        List<String> lines = block.lines().toList();
        int indent = lines.stream().filter(l -> !l.isBlank()).mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        return String.join("\n", lines.stream().map(l -> l.isBlank() ? "" : l.substring(indent)).toList());
    }
}
