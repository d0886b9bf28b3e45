package dev.asyncrpc.spring.autoconfigure;

import dev.asyncrpc.spring.ImportRemoteServices;
import dev.asyncrpc.spring.autoconfigure.scan.EchoAsync;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.support.SpringFactoriesLoader;

import static org.assertj.core.api.Assertions.assertThat;

class MissingAddressFailureAnalyzerTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AsyncRpcClientAutoConfiguration.class))
        .withUserConfiguration(ImportEchoAsync.class);

    @Test
    void reportNamesTheServiceTheInterfaceAndThePropertyToSet() {
        this.runner.run((context) -> {
            FailureAnalysis analysis = new MissingAddressFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis).isNotNull();
            assertThat(analysis.getDescription()).contains("'echo'", EchoAsync.class.getName());
            assertThat(analysis.getAction()).startsWith("Set asyncrpc.client.services.echo.address to the address");
        });
    }

    @Test
    void isRegisteredWithSpringBoot() {
        // analyzers of other modules that need constructor arguments are skipped here
        assertThat(SpringFactoriesLoader.forDefaultResourceLocation()
            .load(FailureAnalyzer.class, null, SpringFactoriesLoader.FailureHandler.handleMessage((message, failure) -> {
            })))
            .hasAtLeastOneElementOfType(MissingAddressFailureAnalyzer.class);
    }

    @Configuration(proxyBeanMethods = false)
    @ImportRemoteServices(EchoAsync.class)
    static class ImportEchoAsync {

    }
}
