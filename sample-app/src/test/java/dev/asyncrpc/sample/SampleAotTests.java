package dev.asyncrpc.sample;

import java.time.Duration;

import dev.asyncrpc.AsyncRpcClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import org.springframework.aot.AotDetector;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample application in Spring AOT mode: its context comes from the classes
 * {@code spring-boot:process-aot} generated at build time (the {@code process-aot} execution of
 * this module), not from parsing configuration classes. Runs in the {@code aot-tests} surefire
 * execution, which sets {@code spring.aot.enabled=true}; the start-up demo calls every operation
 * (plain, future, {@code AsyncCall}, an abort, a failure, both pipes) and a client bean and a plain
 * client call the running service.
 */
@EnabledIfSystemProperty(named = "spring.aot.enabled", matches = "true")
class SampleAotTests {

    private static ConfigurableApplicationContext context;

    @BeforeAll
    static void start() {
        SpringApplication application = new SpringApplication(SampleApplication.class);
        application.setMainApplicationClass(SampleApplication.class); // AOT finds SampleApplication__ApplicationContextInitializer by it
        context = application.run("--asyncrpc.server.port=0", "--asyncrpc.server.address=127.0.0.1", "--server.port=0");
    }

    @AfterAll
    static void stop() {
        if (context != null) {
            context.close();
        }
    }

    @Test
    void theContextComesFromTheAotArtifacts() {
        assertThat(AotDetector.useGeneratedArtifacts()).isTrue();
        assertThat(context.getBean(GreeterDemo.class)).isNotNull();
    }

    @Test
    void theDemoCalledEveryOperationSuccessfully() {
        DemoReport report = context.getBean(GreeterDemo.class).report();
        assertThat(report.failures()).isEmpty();
        assertThat(report.plainGreeting()).isEqualTo(new Greeting("Hello, Ada!", "Ada"));
        assertThat(report.pipedCount()).isEqualTo(3);
    }

    @Test
    void clientBeansAndPlainClientsCallTheRunningService() {
        assertThat(context.getBean(GreeterAsync.class).greetLater("aot", 0).join(Duration.ofSeconds(10)).name()).isEqualTo("aot");
        String address = context.getEnvironment().getProperty("local.asyncrpc.server.address");
        try (AsyncRpcClient client = AsyncRpcClient.builder().address(address).build()) {
            assertThat(client.proxy(Greeter.class).greet("native").name()).isEqualTo("native");
        }
    }
}
