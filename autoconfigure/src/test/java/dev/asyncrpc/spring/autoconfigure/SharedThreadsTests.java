package dev.asyncrpc.spring.autoconfigure;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import dev.asyncrpc.AsyncRemote;
import dev.asyncrpc.AsyncRpcResources;
import dev.asyncrpc.AsyncRpcServer;
import dev.asyncrpc.RemoteService;
import dev.asyncrpc.spring.ImportRemoteServices;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application that imports ten remote services: its clients borrow one set of threads (the
 * {@link AsyncRpcResources} bean), so calling all ten costs (almost) no more threads than calling
 * one; closing the context closes the clients, then the resources.
 */
class SharedThreadsTests {

    private static final List<Class<?>> SERVICES = List.of(S1.class, S2.class, S3.class, S4.class, S5.class, S6.class, S7.class, S8.class,
            S9.class, S10.class);

    private ExecutorService workers;

    private AsyncRpcServer server;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AsyncRpcResourcesAutoConfiguration.class, AsyncRpcClientAutoConfiguration.class))
        .withUserConfiguration(TenServices.class);

    @BeforeEach
    void startServer() {
        // the remote services' server lives in this JVM too: one event loop and one worker thread,
        // both started by the first call, so that only the application's client threads can grow
        this.workers = Executors.newSingleThreadExecutor();
        AsyncRpcServer.Builder builder = AsyncRpcServer.builder().host("127.0.0.1").port(0).ioThreads(1).executor(this.workers);
        for (Class<?> type : SERVICES) {
            builder.service(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] { type }, (proxy, method, args) -> {
                String reply = method.getDeclaringClass().getSimpleName() + ":" + args[0];
                return method.getName().equals("later") ? CompletableFuture.completedFuture(reply) : reply;
            }));
        }
        this.server = builder.build().start();
    }

    @AfterEach
    void stopServer() throws InterruptedException {
        this.server.close();
        this.workers.shutdown();
        assertThat(this.workers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void tenImportedServicesAddAtMostTwoThreadsOverOne() {
        this.runner.withPropertyValues(addresses()).run((context) -> {
            assertThat(context).hasSingleBean(AsyncRpcResources.class);
            call(context, S1.class);
            Set<String> afterOne = threadNames();
            for (Class<?> type : SERVICES) {
                call(context, type);
            }
            Set<String> afterTen = threadNames();
            Set<String> added = new TreeSet<>(afterTen);
            added.removeAll(afterOne);
            assertThat(afterTen.size() - afterOne.size()).as("threads added by calling 10 services after 1: %s", added).isLessThanOrEqualTo(2);
            AsyncRpcClients clients = context.getBean(AsyncRpcClients.class);
            assertThat(clients.clients()).hasSize(10).allSatisfy((name, client) -> assertThat(client.connections()).isEqualTo(1));
            assertThat(context.getBean(AsyncRpcResources.class).borrowers()).isEqualTo(10);
        });
    }

    @Test
    void closingTheContextClosesTheClientsBeforeTheirResources() {
        AsyncRpcResources[] seen = new AsyncRpcResources[1];
        this.runner.withPropertyValues(addresses()).run((context) -> {
            call(context, S1.class);
            call(context, S2.class);
            seen[0] = context.getBean(AsyncRpcResources.class);
            assertThat(seen[0].borrowers()).isEqualTo(10); // every imported service's client, made at start-up
        });
        // the clients gave their threads back one by one before the resources closed
        assertThat(seen[0].isClosed()).isTrue();
        assertThat(seen[0].borrowers()).isZero();
        assertThat(threadNames()).noneMatch((name) -> name.startsWith("asyncrpc-io") || name.startsWith("asyncrpc-completion"));
    }

    @Test
    void withoutSharedResourcesEachClientHasItsOwnEventLoop() {
        // the comparison that shows what the shared resources save: the same calls, one loop per client
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(AsyncRpcClientAutoConfiguration.class))
            .withUserConfiguration(TenServices.class)
            .withPropertyValues(addresses())
            .run((context) -> {
                call(context, S1.class);
                Set<String> afterOne = threadNames();
                for (Class<?> type : SERVICES) {
                    call(context, type);
                }
                assertThat(threadNames().size() - afterOne.size()).isGreaterThanOrEqualTo(9);
            });
    }

    private String[] addresses() {
        List<String> properties = new ArrayList<>();
        for (Class<?> type : SERVICES) {
            properties.add("asyncrpc.client.services." + type.getAnnotation(RemoteService.class).value() + ".address=127.0.0.1:" + this.server.port());
        }
        return properties.toArray(String[]::new);
    }

    /** A plain call and an asynchronous one through the service's client bean. */
    private static void call(ApplicationContext context, Class<?> type) throws Exception {
        Object client = context.getBean(type);
        String expected = type.getSimpleName() + ":x";
        assertThat(type.getMethod("hi", String.class).invoke(client, "x")).isEqualTo(expected);
        CompletableFuture<?> later = (CompletableFuture<?>) type.getMethod("later", String.class).invoke(client, "x");
        assertThat(later.get(10, TimeUnit.SECONDS)).isEqualTo(expected);
        // a callback, which runs on the completion executor
        assertThat(later.thenApply(String::valueOf).get(10, TimeUnit.SECONDS)).isEqualTo(expected);
    }

    private static Set<String> threadNames() {
        Set<String> names = new TreeSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive()) {
                names.add(t.getName() + "#" + t.getId());
            }
        }
        return names;
    }

    @Configuration(proxyBeanMethods = false)
    @ImportRemoteServices({ S1.class, S2.class, S3.class, S4.class, S5.class, S6.class, S7.class, S8.class, S9.class, S10.class })
    static class TenServices {

    }

    @RemoteService("s1")
    public interface S1 {

        String hi(String name);

        @AsyncRemote
        CompletableFuture<String> later(String name);
    }

    @RemoteService("s2")
    public interface S2 {

        String hi(String name);

        @AsyncRemote
        CompletableFuture<String> later(String name);
    }

    @RemoteService("s3")
    public interface S3 {

        String hi(String name);

        @AsyncRemote
        CompletableFuture<String> later(String name);
    }

    @RemoteService("s4")
    public interface S4 {

        String hi(String name);

        @AsyncRemote
        CompletableFuture<String> later(String name);
    }

    @RemoteService("s5")
    public interface S5 {

        String hi(String name);

        @AsyncRemote
        CompletableFuture<String> later(String name);
    }

    @RemoteService("s6")
    public interface S6 {

        String hi(String name);

        @AsyncRemote
        CompletableFuture<String> later(String name);
    }

    @RemoteService("s7")
    public interface S7 {

        String hi(String name);

        @AsyncRemote
        CompletableFuture<String> later(String name);
    }

    @RemoteService("s8")
    public interface S8 {

        String hi(String name);

        @AsyncRemote
        CompletableFuture<String> later(String name);
    }

    @RemoteService("s9")
    public interface S9 {

        String hi(String name);

        @AsyncRemote
        CompletableFuture<String> later(String name);
    }

    @RemoteService("s10")
    public interface S10 {

        String hi(String name);

        @AsyncRemote
        CompletableFuture<String> later(String name);
    }
}
