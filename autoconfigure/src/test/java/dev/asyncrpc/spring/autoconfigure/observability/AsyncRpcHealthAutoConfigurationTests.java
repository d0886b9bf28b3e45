package dev.asyncrpc.spring.autoconfigure.observability;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.asyncrpc.AsyncCall;
import dev.asyncrpc.AsyncRpcServer;
import dev.asyncrpc.spring.ImportRemoteServices;
import dev.asyncrpc.spring.autoconfigure.AsyncRpcClientAutoConfiguration;
import dev.asyncrpc.spring.autoconfigure.AsyncRpcServerAutoConfiguration;
import dev.asyncrpc.spring.autoconfigure.AsyncRpcServerLifecycle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.health.actuate.endpoint.CompositeHealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroupsPostProcessor;
import org.springframework.boot.health.actuate.endpoint.IndicatedHealthDescriptor;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.AvailabilityProbesAutoConfiguration;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.boot.health.autoconfigure.application.AvailabilityHealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The asyncrpc health contributor in Spring Boot's health endpoint, with the Kubernetes probes on. */
@Timeout(60)
class AsyncRpcHealthAutoConfigurationTests {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final ApplicationContextRunner health = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ApplicationAvailabilityAutoConfiguration.class, HealthContributorAutoConfiguration.class,
                HealthContributorRegistryAutoConfiguration.class, HealthEndpointAutoConfiguration.class,
                AvailabilityHealthContributorAutoConfiguration.class, AvailabilityProbesAutoConfiguration.class,
                AsyncRpcHealthAutoConfiguration.class))
        .withPropertyValues("management.endpoint.health.probes.enabled=true", "management.endpoint.health.show-details=always");

    private final ApplicationContextRunner runner = this.health
        .withConfiguration(AutoConfigurations.of(AsyncRpcServerAutoConfiguration.class, AsyncRpcClientAutoConfiguration.class))
        .withBean(MeteredEndpoint.class)
        .withUserConfiguration(ImportMetered.class)
        .withPropertyValues("asyncrpc.server.port=0", "asyncrpc.server.address=127.0.0.1",
                "asyncrpc.client.services.metered.address=${local.asyncrpc.server.address}");

    @Test
    void readinessGoesOutOfServiceWhenTheServerBeginsToDrain() {
        this.runner.run((context) -> {
            ready(context);
            HealthEndpoint endpoint = context.getBean(HealthEndpoint.class);
            assertThat(endpoint.healthForPath("readiness").getStatus()).isEqualTo(Status.UP);
            assertThat(readinessMembers(endpoint)).contains("asyncrpc", "readinessState");
            MeteredEndpoint metered = context.getBean(MeteredEndpoint.class);
            AsyncCall<String> inProgress = context.getBean(Metered.Async.class).hold("drain");
            metered.awaitHeld(WAIT);
            AsyncRpcServer server = context.getBean(AsyncRpcServerLifecycle.class).getServer();
            CompletableFuture<Integer> drain = CompletableFuture.supplyAsync(() -> server.shutdown(WAIT));
            await().atMost(WAIT).until(() -> endpoint.healthForPath("readiness").getStatus().equals(Status.OUT_OF_SERVICE));
            assertThat(details(endpoint, "asyncrpc", "server")).containsEntry("state", "DRAINING").containsEntry("activeCalls", 1);
            assertThat(drain).as("the drain waits for the call in progress").isNotDone();
            metered.release("drain");
            assertThat(inProgress.join(WAIT)).isEqualTo("released drain");
            assertThat(drain.get(20, TimeUnit.SECONDS)).isZero();
            assertThat(endpoint.healthForPath("readiness").getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
            assertThat(endpoint.healthForPath("liveness").getStatus()).as("a drain is no reason to restart").isEqualTo(Status.UP);
        });
    }

    @Test
    void showsTheServerAndEachClientTarget() {
        this.runner.run((context) -> {
            HealthEndpoint endpoint = context.getBean(HealthEndpoint.class);
            AsyncRpcServer server = context.getBean(AsyncRpcServerLifecycle.class).getServer();
            assertThat(endpoint.healthForPath("asyncrpc").getStatus()).isEqualTo(Status.UP);
            assertThat(details(endpoint, "asyncrpc", "server")).containsEntry("state", "ACCEPTING")
                .containsEntry("address", server.address())
                .containsEntry("activeCalls", 0);
            // the health check pings the target, opening the connection a call would use
            Map<String, Object> metered = target(endpoint, "metered");
            assertThat(metered).containsEntry("status", "UP")
                .containsEntry("address", server.address())
                .containsEntry("connection", "CONNECTED")
                .containsEntry("connections", 1)
                .containsEntry("pendingCalls", 0)
                .doesNotContainKey("error");
            assertThat((Double) metered.get("rttMillis")).isPositive().isLessThan(2_000.0);
            assertThat(context.getBean(Metered.Plain.class).greet("health")).isEqualTo("Hello, health");
            // the caller may return a moment before the call is no longer counted as pending
            await().atMost(WAIT).untilAsserted(() -> assertThat(target(endpoint, "metered")).containsEntry("status", "UP")
                .containsEntry("connections", 1).containsEntry("pendingCalls", 0));
            assertThat(endpoint.healthForPath("asyncrpc", "clients").getStatus()).isEqualTo(Status.UP);
        });
    }

    @Test
    void anUnreachableTargetIsDownInTheDetailsButLeavesReadinessUp() throws Exception {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        this.runner.withPropertyValues("asyncrpc.client.services.metered.address=127.0.0.1:" + closedPort, "asyncrpc.health.ping-timeout=5s")
            .run((context) -> {
                ready(context);
                assertThat(context.getBean(AsyncRpcObservabilityProperties.class).getHealth().getPingTimeout()).isEqualTo(Duration.ofSeconds(5));
                HealthEndpoint endpoint = context.getBean(HealthEndpoint.class);
                Map<String, Object> metered = target(endpoint, "metered");
                assertThat(metered).containsEntry("status", "DOWN").containsEntry("address", "127.0.0.1:" + closedPort)
                    .doesNotContainKey("rttMillis");
                assertThat((String) metered.get("error")).startsWith("UNAVAILABLE").contains("127.0.0.1:" + closedPort);
                assertThat(endpoint.healthForPath("asyncrpc", "clients").getStatus()).isEqualTo(Status.UP);
                assertThat(endpoint.healthForPath("asyncrpc").getStatus()).isEqualTo(Status.UP);
                assertThat(endpoint.healthForPath("readiness").getStatus())
                    .as("a dependency being down does not take its caller out of rotation").isEqualTo(Status.UP);
            });
    }

    @Test
    void aPingTimeoutMustBePositive() {
        this.runner.withPropertyValues("asyncrpc.health.ping-timeout=0s")
            .run((context) -> assertThat(context).hasFailed());
    }

    @Test
    void staysOutOfTheReadinessGroupWhenAskedTo() {
        this.runner.withPropertyValues("asyncrpc.health.include-in-readiness=false").run((context) -> {
            ready(context);
            HealthEndpoint endpoint = context.getBean(HealthEndpoint.class);
            context.getBean(AsyncRpcServerLifecycle.class).getServer().shutdown(WAIT);
            assertThat(endpoint.healthForPath("asyncrpc").getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
            assertThat(endpoint.healthForPath("readiness").getStatus()).isEqualTo(Status.UP);
            assertThat(readinessMembers(endpoint)).doesNotContain("asyncrpc");
        });
    }

    @Test
    void reportsOnlyTheClientsWhenThereIsNoServer() {
        this.health.withConfiguration(AutoConfigurations.of(AsyncRpcServerAutoConfiguration.class, AsyncRpcClientAutoConfiguration.class))
            .run((context) -> {
                HealthDescriptor asyncrpc = context.getBean(HealthEndpoint.class).healthForPath("asyncrpc");
                assertThat(asyncrpc).isInstanceOfSatisfying(CompositeHealthDescriptor.class,
                        (composite) -> assertThat(composite.getComponents()).containsOnlyKeys("clients"));
            });
    }

    @Test
    void noContributorWithoutServerOrClients() {
        this.health.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean("asyncrpcHealthContributor"));
    }

    @Test
    void turnedOffWithSpringBootsHealthIndicatorSwitch() {
        this.runner.withPropertyValues("management.health.asyncrpc.enabled=false")
            .run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean("asyncrpcHealthContributor"));
    }

    @Test
    void turnedOffWhenSpringBootHealthIsMissing() {
        new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AsyncRpcServerAutoConfiguration.class, AsyncRpcClientAutoConfiguration.class,
                    AsyncRpcHealthAutoConfiguration.class))
            .withClassLoader(new FilteredClassLoader(HealthContributor.class))
            .run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean("asyncrpcHealthContributor"));
    }

    @Test
    void contributesWithoutTheActuatorButJoinsNoGroup() {
        new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AsyncRpcServerAutoConfiguration.class, AsyncRpcClientAutoConfiguration.class,
                    AsyncRpcHealthAutoConfiguration.class))
            .withClassLoader(new FilteredClassLoader(SecurityContext.class))
            .run((context) -> {
                assertThat(context).hasNotFailed().hasBean("asyncrpcHealthContributor");
                assertThat(context).doesNotHaveBean(HealthEndpointGroupsPostProcessor.class);
            });
    }

    @Test
    void aFailedServerTurnsLivenessBrokenSoThatTheProcessIsRestarted() {
        dev.asyncrpc.CallObserver failing = new dev.asyncrpc.CallObserver() {
            @Override
            public void onConnection(dev.asyncrpc.CallObserver.CallInfo.Side side, String peer, boolean open) {
                if (open) {
                    throw new OutOfMemoryError("simulated by the test");
                }
            }
        };
        this.runner.withBean(dev.asyncrpc.spring.AsyncRpcServerCustomizer.class, () -> (builder) -> builder.observer(failing))
            .withPropertyValues("asyncrpc.client.defaults.timeout=5s")
            .run((context) -> {
                ready(context);
                HealthEndpoint endpoint = context.getBean(HealthEndpoint.class);
                assertThat(endpoint.healthForPath("liveness").getStatus()).isEqualTo(Status.UP);
                try {
                    context.getBean(Metered.Plain.class).greet("breaks the server");
                }
                catch (RuntimeException expected) {
                    // the connection is closed by the failure
                }
                AsyncRpcServer server = context.getBean(AsyncRpcServerLifecycle.class).getServer();
                await().atMost(WAIT).until(() -> server.state() == AsyncRpcServer.State.FAILED);
                assertThat(context.getBean(org.springframework.boot.availability.ApplicationAvailability.class).getLivenessState())
                    .isEqualTo(LivenessState.BROKEN);
                assertThat(endpoint.healthForPath("liveness").getStatus()).isEqualTo(Status.DOWN);
                assertThat(endpoint.healthForPath("asyncrpc").getStatus()).isEqualTo(Status.DOWN);
            });
    }

    @Test
    void backsOffForAUserDefinedContributor() {
        this.runner.withBean("asyncrpcHealthContributor", HealthIndicator.class, () -> () -> Health.down().build())
            .run((context) -> assertThat(context.getBean(HealthEndpoint.class).healthForPath("asyncrpc").getStatus()).isEqualTo(Status.DOWN));
    }

    /** What SpringApplication does once the application is ready (a context runner does not). */
    private static void ready(ApplicationContext context) {
        AvailabilityChangeEvent.publish(context, LivenessState.CORRECT);
        AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
    }

    private static java.util.Set<String> readinessMembers(HealthEndpoint endpoint) {
        HealthDescriptor readiness = endpoint.healthForPath("readiness");
        assertThat(readiness).isInstanceOf(CompositeHealthDescriptor.class);
        return ((CompositeHealthDescriptor) readiness).getComponents().keySet();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> target(HealthEndpoint endpoint, String service) {
        Object target = details(endpoint, "asyncrpc", "clients").get(service);
        assertThat(target).isInstanceOf(Map.class);
        return (Map<String, Object>) target;
    }

    private static Map<String, Object> details(HealthEndpoint endpoint, String... path) {
        HealthDescriptor descriptor = endpoint.healthForPath(path);
        assertThat(descriptor).isInstanceOf(IndicatedHealthDescriptor.class);
        return ((IndicatedHealthDescriptor) descriptor).getDetails();
    }

    @Configuration(proxyBeanMethods = false)
    @ImportRemoteServices({ Metered.Plain.class, Metered.Async.class })
    static class ImportMetered {

    }
}
