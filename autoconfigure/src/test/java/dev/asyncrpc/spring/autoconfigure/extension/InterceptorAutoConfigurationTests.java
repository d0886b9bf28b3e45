package dev.asyncrpc.spring.autoconfigure.extension;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.asyncrpc.ClientInterceptor;
import dev.asyncrpc.RemoteCallException;
import dev.asyncrpc.ServerCall;
import dev.asyncrpc.ServerInterceptor;
import dev.asyncrpc.Status;
import dev.asyncrpc.spring.ForServices;
import dev.asyncrpc.spring.ImportRemoteServices;
import dev.asyncrpc.spring.RemoteAdvice;
import dev.asyncrpc.spring.RemoteExceptionHandler;
import dev.asyncrpc.spring.autoconfigure.AsyncRpcClientAutoConfiguration;
import dev.asyncrpc.spring.autoconfigure.AsyncRpcServerAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.MDC;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Interceptor, exception-mapper and advice beans applied by the auto-configuration to real calls:
 * refusal, the MDC in plain and asynchronous implementations, {@code @Order}, {@link ForServices},
 * client metadata, and {@link RemoteAdvice} mapping.
 */
@Timeout(60)
class InterceptorAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AsyncRpcServerAutoConfiguration.class, AsyncRpcClientAutoConfiguration.class))
        .withBean(Ledger.Endpoint.class, Ledger.Endpoint::new, (definition) -> definition.setDestroyMethodName("close"))
        .withUserConfiguration(ImportLedger.class)
        .withPropertyValues("asyncrpc.server.port=0", "asyncrpc.server.address=127.0.0.1",
                "asyncrpc.client.services.ledger.address=${local.asyncrpc.server.address}",
                "asyncrpc.client.services.other.address=${local.asyncrpc.server.address}");

    @Test
    void anInterceptorBeanThatRequiresMetadataRefusesCallsWithoutItAndTheImplementationNeverRuns() {
        this.runner.withUserConfiguration(RequireTenant.class).run((context) -> {
            Ledger.Client ledger = context.getBean(Ledger.Client.class);
            for (String operation : List.of("entry", "later")) {
                assertThatThrownBy(() -> call(ledger, operation, "a")).isInstanceOfSatisfying(RemoteCallException.class, (ex) -> {
                    assertThat(ex.status()).isEqualTo(Status.PERMISSION_DENIED);
                    assertThat(ex.description()).isEqualTo("metadata 'tenant' is required");
                });
            }
            assertThat(context.getBean(Ledger.Endpoint.class).runs).hasValue(0);
        });
    }

    @Test
    void anMdcInterceptorPutsTheCallIdIntoThePlainAndAsynchronousImplementationsLogLines() {
        this.runner.withUserConfiguration(Tenant.class, CallIdInMdc.class).run((context) -> {
            Ledger.Client ledger = context.getBean(Ledger.Client.class);
            assertThat(ledger.entry("a")).isEqualTo("entry a for acme");
            assertThat(ledger.later("b")).isEqualTo("entry b for acme");
            List<String> logged = context.getBean(Ledger.Endpoint.class).logged;
            assertThat(logged).hasSize(3);
            assertThat(logged.get(0)).startsWith("entry a callId=call-");
            assertThat(logged.get(1)).startsWith("later b callId=call-");
            assertThat(logged.get(2)).isEqualTo("later continued b callId=" + logged.get(1).substring("later b callId=".length()));
            assertThat(logged.get(0)).isNotEqualTo("entry a callId=" + logged.get(1).substring("later b callId=".length()));
        });
    }

    @Test
    void interceptorBeansRunInTheirOrder() {
        this.runner.withUserConfiguration(Ordered.class).run((context) -> {
            context.getBean(Ledger.Client.class).entry("a");
            assertThat(context.getBean("events", List.class)).containsExactly("first", "second", "third");
        });
    }

    @Test
    void aForServicesInterceptorSeesOnlyItsServices() {
        this.runner.withUserConfiguration(OnlyOther.class).run((context) -> {
            assertThat(context.getBean(Ledger.Client.class).entry("a")).isEqualTo("entry a for -");
            assertThat(context.getBean(Ledger.OtherClient.class).ping("x")).isEqualTo("pong x -");
            assertThat(context.getBean("events", List.class)).containsExactly("client other/ping", "server other/ping");
        });
    }

    @Test
    void aForServicesServerInterceptorForAServiceNotServedFailsTheStart() {
        this.runner.withUserConfiguration(ForUnknownService.class).run((context) -> assertThat(context).hasFailed()
            .getFailure()
            .rootCause()
            .hasMessage("interceptor service: 'nowhere' (expected: one of the services served [ledger, other])"));
    }

    @Test
    void metadataAddedByAClientInterceptorBeanIsVisibleToTheServer() {
        this.runner.withUserConfiguration(Tenant.class).run((context) -> {
            assertThat(context.getBean(Ledger.Client.class).entry("a")).isEqualTo("entry a for acme");
            assertThat(context.getBean(Ledger.OtherClient.class).ping("x")).isEqualTo("pong x acme");
        });
    }

    @Test
    void anAdviceMapsNoSuchElementExceptionToNotFoundForPlainAndAsynchronousImplementations() {
        this.runner.withUserConfiguration(NotFoundAdvice.class).run((context) -> {
            Ledger.Client ledger = context.getBean(Ledger.Client.class);
            assertThatThrownBy(() -> ledger.entry("missing")).isInstanceOfSatisfying(RemoteCallException.class, (ex) -> {
                assertThat(ex.status()).isEqualTo(Status.NOT_FOUND);
                assertThat(ex.description()).isEqualTo("ledger/entry: no entry 'missing'");
            });
            assertThatThrownBy(() -> ledger.later("missing")).isInstanceOfSatisfying(RemoteCallException.class, (ex) -> {
                assertThat(ex.status()).isEqualTo(Status.NOT_FOUND);
                assertThat(ex.description()).isEqualTo("ledger/later: no entry 'missing'");
            });
        });
    }

    @Test
    void otherExceptionsKeepTheDefaultMappingWithAnAdvice() {
        this.runner.withUserConfiguration(NotFoundAdvice.class).run((context) -> {
            Ledger.Client ledger = context.getBean(Ledger.Client.class);
            for (String operation : List.of("entry", "later")) {
                assertThatThrownBy(() -> call(ledger, operation, "broken")).isInstanceOfSatisfying(RemoteCallException.class, (ex) -> {
                    assertThat(ex.status()).isEqualTo(Status.APPLICATION_ERROR);
                    assertThat(ex.description()).isEqualTo("the ledger is broken");
                });
            }
        });
    }

    @Test
    void theClosestHandlerOfAnAdviceWinsAndAStatusHandlerKeepsTheMessage() {
        this.runner.withUserConfiguration(LayeredAdvice.class).run((context) -> {
            Ledger.Client ledger = context.getBean(Ledger.Client.class);
            assertThatThrownBy(() -> ledger.entry("missing")).isInstanceOfSatisfying(RemoteCallException.class, (ex) -> {
                assertThat(ex.status()).isEqualTo(Status.NOT_FOUND);
                assertThat(ex.description()).isEqualTo("no entry 'missing'");
            });
            assertThatThrownBy(() -> ledger.entry("broken")).isInstanceOfSatisfying(RemoteCallException.class, (ex) -> {
                assertThat(ex.status()).isEqualTo(Status.INTERNAL);
                assertThat(ex.description()).isEqualTo("unexpected: the ledger is broken");
            });
        });
    }

    @Test
    void anAdviceHandlerWithAnUnsupportedSignatureFailsTheStart() {
        this.runner.withUserConfiguration(BadAdvice.class).run((context) -> assertThat(context).hasFailed()
            .getFailure()
            .rootCause()
            .hasMessageContaining("parameter 2 of type java.lang.String (expected: the exception and optionally the ServerCall)"));
    }

    private static String call(Ledger.Client ledger, String operation, String id) {
        return operation.equals("entry") ? ledger.entry(id) : ledger.later(id);
    }

    @Configuration(proxyBeanMethods = false)
    @ImportRemoteServices({ Ledger.Client.class, Ledger.OtherClient.class })
    static class ImportLedger {

    }

    @Configuration(proxyBeanMethods = false)
    static class RequireTenant {

        @Bean
        ServerInterceptor requireTenant() {
            return (call) -> {
                if (!call.metadata().containsKey("tenant")) {
                    throw new RemoteCallException(Status.PERMISSION_DENIED, "metadata 'tenant' is required");
                }
                return null;
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Tenant {

        @Bean
        ClientInterceptor tenant() {
            return (call) -> {
                call.metadata().put("tenant", "acme");
                return null;
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class CallIdInMdc {

        private final java.util.concurrent.atomic.AtomicInteger ids = new java.util.concurrent.atomic.AtomicInteger();

        @Bean
        ServerInterceptor callIdInMdc() {
            return (call) -> {
                String id = "call-" + this.ids.incrementAndGet();
                call.attach(() -> {
                    MDC.put("callId", id);
                    return () -> MDC.remove("callId");
                });
                return null;
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Ordered {

        @Bean
        List<String> events() {
            return new CopyOnWriteArrayList<>();
        }

        @Bean
        @Order(3)
        ServerInterceptor third(List<String> events) {
            return record(events, "third");
        }

        @Bean
        @Order(1)
        ServerInterceptor first(List<String> events) {
            return record(events, "first");
        }

        @Bean
        @Order(2)
        ServerInterceptor second(List<String> events) {
            return record(events, "second");
        }

        private static ServerInterceptor record(List<String> events, String name) {
            return (call) -> {
                events.add(name);
                return null;
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OnlyOther {

        @Bean
        List<String> events() {
            return new CopyOnWriteArrayList<>();
        }

        @Bean
        @ForServices("other")
        ServerInterceptor otherServer(List<String> events) {
            return (call) -> {
                events.add("server " + call.service() + "/" + call.operation());
                return null;
            };
        }

        @Bean
        @ForServices("other")
        ClientInterceptor otherClient(List<String> events) {
            return (call) -> {
                events.add("client " + call.service() + "/" + call.operation());
                return null;
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ForUnknownService {

        @Bean
        @ForServices("nowhere")
        ServerInterceptor nowhere() {
            return (call) -> null;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class NotFoundAdvice {

        @Bean
        NotFound notFound() {
            return new NotFound();
        }
    }

    @RemoteAdvice
    static class NotFound {

        @RemoteExceptionHandler
        RemoteCallException notFound(NoSuchElementException ex, ServerCall call) {
            return new RemoteCallException(Status.NOT_FOUND, call.service() + "/" + call.operation() + ": " + ex.getMessage());
        }

        @RemoteExceptionHandler(IllegalArgumentException.class)
        Status invalid() {                     // sent with the exception's message
            return Status.INVALID_ARGUMENT;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class LayeredAdvice {

        @Bean
        Layered layered() {
            return new Layered();
        }
    }

    @RemoteAdvice
    static class Layered {

        @RemoteExceptionHandler(RuntimeException.class)
        RemoteCallException anyRuntime(RuntimeException ex) {
            return new RemoteCallException(Status.INTERNAL, "unexpected: " + ex.getMessage());
        }

        @RemoteExceptionHandler
        Status notFound(NoSuchElementException ex) {
            return Status.NOT_FOUND;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class BadAdvice {

        @Bean
        Bad bad() {
            return new Bad();
        }
    }

    @RemoteAdvice
    static class Bad {

        @RemoteExceptionHandler
        Status handle(NoSuchElementException ex, String extra) {
            return Status.NOT_FOUND;
        }
    }
}
