package dev.asyncrpc.spring.autoconfigure.observability;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.asyncrpc.AsyncCall;
import dev.asyncrpc.AsyncRpcServer;
import dev.asyncrpc.CallState;
import dev.asyncrpc.spring.ImportRemoteServices;
import dev.asyncrpc.spring.autoconfigure.AsyncRpcClientAutoConfiguration;
import dev.asyncrpc.spring.autoconfigure.AsyncRpcServerAutoConfiguration;
import dev.asyncrpc.spring.autoconfigure.AsyncRpcServerLifecycle;
import dev.asyncrpc.spring.autoconfigure.observability.AsyncRpcEndpoint.AsyncRpcDescriptor;
import dev.asyncrpc.spring.autoconfigure.observability.AsyncRpcEndpoint.ClientDescriptor;
import dev.asyncrpc.spring.autoconfigure.observability.AsyncRpcEndpoint.OperationDescriptor;
import dev.asyncrpc.spring.autoconfigure.observability.AsyncRpcEndpoint.PendingCallDescriptor;
import dev.asyncrpc.spring.autoconfigure.observability.AsyncRpcEndpoint.ServiceDescriptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The asyncrpc Actuator endpoint over a real server and client. */
@Timeout(60)
class AsyncRpcEndpointAutoConfigurationTests {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AsyncRpcServerAutoConfiguration.class, AsyncRpcClientAutoConfiguration.class,
                AsyncRpcEndpointAutoConfiguration.class))
        .withBean(MeteredEndpoint.class)
        .withUserConfiguration(ImportMetered.class)
        .withPropertyValues("asyncrpc.server.port=0", "asyncrpc.server.address=127.0.0.1",
                "asyncrpc.client.services.metered.address=${local.asyncrpc.server.address}",
                "management.endpoints.web.exposure.include=asyncrpc");

    @Test
    void listsServedOperationsClientTargetsAndPendingCalls() {
        this.runner.run((context) -> {
            AsyncRpcEndpoint endpoint = context.getBean(AsyncRpcEndpoint.class);
            MeteredEndpoint metered = context.getBean(MeteredEndpoint.class);
            AsyncRpcServer server = context.getBean(AsyncRpcServerLifecycle.class).getServer();
            AsyncCall<String> held = context.getBean(Metered.Async.class).hold("first");
            metered.awaitHeld(WAIT);

            AsyncRpcDescriptor during = endpoint.asyncrpc();
            assertThat(during.server()).isNotNull();
            assertThat(during.server().address()).isEqualTo(server.address());
            assertThat(during.server().accepting()).isTrue();
            assertThat(during.server().activeCalls()).isEqualTo(1);
            assertThat(during.server().connections()).isEqualTo(1);
            assertThat(during.server().services()).containsExactly(new ServiceDescriptor("metered",
                    List.of(new OperationDescriptor("greet", false, List.of()), new OperationDescriptor("hold", true, List.of()))));
            ClientDescriptor client = during.clients().get("metered");
            assertThat(client.address()).isEqualTo(server.address());
            assertThat(client.endpoints()).containsExactly(server.address());
            assertThat(client.connection()).isEqualTo("CONNECTED");
            assertThat(client.pendingCalls()).isEqualTo(1);
            assertThat(client.pending()).singleElement().satisfies((call) -> {
                assertThat(call.service()).isEqualTo("metered");
                assertThat(call.method()).isEqualTo("hold");
                assertThat(call.state()).isEqualTo(CallState.PENDING);
                assertThat(call.ageMillis()).isNotNegative();
            });

            metered.release("first");
            held.join(WAIT);
            await().atMost(WAIT).untilAsserted(() -> {
                AsyncRpcDescriptor after = endpoint.asyncrpc();
                assertThat(after.clients().get("metered").pending()).isEmpty();
                assertThat(after.clients().get("metered").pendingCalls()).isZero();
                assertThat(after.server().activeCalls()).isZero();
            });
        });
    }

    @Test
    void pendingCallsAgeAndTheOldestComeFirst() {
        this.runner.run((context) -> {
            AsyncRpcEndpoint endpoint = context.getBean(AsyncRpcEndpoint.class);
            MeteredEndpoint metered = context.getBean(MeteredEndpoint.class);
            Metered.Async async = context.getBean(Metered.Async.class);
            async.hold("older");
            metered.awaitHeld(WAIT);
            long firstAge = endpoint.asyncrpc().clients().get("metered").pending().get(0).ageMillis();
            await().atMost(WAIT).until(() -> endpoint.asyncrpc().clients().get("metered").pending().get(0).ageMillis() > firstAge);
            async.hold("newer");
            metered.awaitHeld(WAIT);
            List<PendingCallDescriptor> pending = endpoint.asyncrpc().clients().get("metered").pending();
            assertThat(pending).hasSize(2);
            assertThat(pending.get(0).ageMillis()).isGreaterThan(pending.get(1).ageMillis());
            metered.release("older");
            metered.release("newer");
        });
    }

    @Test
    void listsAtMostTheConfiguredNumberOfPendingCallsButCountsThemAll() {
        this.runner.withPropertyValues("asyncrpc.endpoint.max-pending-calls=1").run((context) -> {
            MeteredEndpoint metered = context.getBean(MeteredEndpoint.class);
            for (int i = 0; i < 3; i++) {
                context.getBean(Metered.Async.class).hold("call " + i);
                metered.awaitHeld(WAIT);
            }
            ClientDescriptor client = context.getBean(AsyncRpcEndpoint.class).asyncrpc().clients().get("metered");
            assertThat(client.pending()).hasSize(1);
            assertThat(client.pendingCalls()).isEqualTo(3);
            for (int i = 0; i < 3; i++) {
                metered.release("call " + i);
            }
        });
    }

    @Test
    void showsNoArgumentValues() {
        this.runner.run((context) -> {
            MeteredEndpoint metered = context.getBean(MeteredEndpoint.class);
            context.getBean(Metered.Async.class).hold("s3cr3t-token");
            metered.awaitHeld(WAIT);
            String json = JsonMapper.builder().build().writeValueAsString(context.getBean(AsyncRpcEndpoint.class).asyncrpc());
            assertThat(json).contains("\"method\":\"hold\"").doesNotContain("s3cr3t");
            metered.release("s3cr3t-token");
        });
    }

    @Test
    void clientsOnlyWhenThereIsNoServer() {
        new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AsyncRpcServerAutoConfiguration.class, AsyncRpcClientAutoConfiguration.class,
                    AsyncRpcEndpointAutoConfiguration.class))
            .withUserConfiguration(ImportMetered.class)
            .withPropertyValues("asyncrpc.client.services.metered.address=127.0.0.1:1", "management.endpoints.web.exposure.include=asyncrpc")
            .run((context) -> {
                AsyncRpcDescriptor descriptor = context.getBean(AsyncRpcEndpoint.class).asyncrpc();
                assertThat(descriptor.server()).isNull();
                assertThat(descriptor.clients()).containsOnlyKeys("metered");
                assertThat(descriptor.clients().get("metered").connection()).isEqualTo("IDLE");
            });
    }

    @Test
    void notAvailableUnlessExposed() {
        this.runner.withPropertyValues("management.endpoints.web.exposure.include=health")
            .run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(AsyncRpcEndpoint.class));
    }

    @Test
    void turnedOffWhenActuatorIsMissing() {
        this.runner.withClassLoader(new FilteredClassLoader(Endpoint.class))
            .run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(AsyncRpcEndpoint.class));
    }

    @Test
    void backsOffForAUserDefinedEndpoint() {
        AsyncRpcEndpoint user = new AsyncRpcEndpoint(() -> null, Map::of, 0);
        this.runner.withBean("userEndpoint", AsyncRpcEndpoint.class, () -> user)
            .run((context) -> assertThat(context).getBean(AsyncRpcEndpoint.class).isSameAs(user));
    }

    @Configuration(proxyBeanMethods = false)
    @ImportRemoteServices({ Metered.Plain.class, Metered.Async.class })
    static class ImportMetered {

    }
}
