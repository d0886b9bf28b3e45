package dev.asyncrpc.spring.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;

import dev.asyncrpc.spring.ImportRemoteServices;
import dev.asyncrpc.spring.autoconfigure.scan.EchoAsync;
import io.netty.channel.epoll.Epoll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The address forms other than TCP, configured through properties, server and client in one context. */
class TransportsTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AsyncRpcServerAutoConfiguration.class, AsyncRpcClientAutoConfiguration.class))
        .withBean(EchoEndpoint.class)
        .withUserConfiguration(ImportEchoAsync.class)
        .withPropertyValues("asyncrpc.client.services.echo.address=${local.asyncrpc.server.address}");

    @Test
    void callsOverAUnixDomainSocket(@TempDir Path dir) {
        assumeTrue(Epoll.isAvailable(), () -> "Unix domain sockets need Netty's epoll transport, unavailable here: " + Epoll.unavailabilityCause());
        String address = "unix:" + dir.resolve("echo.sock");
        this.runner.withPropertyValues("asyncrpc.server.address=" + address).run((context) -> {
            assertThat(context.getBean(AsyncRpcClients.class).client("echo").address()).isEqualTo(address);
            assertThat(context.getBean(EchoAsync.class).echo("over unix").join(Duration.ofSeconds(10))).isEqualTo("echo: over unix");
        });
    }

    @Test
    void callsInTheSameJvm() {
        this.runner.withPropertyValues("asyncrpc.server.address=local:transports-test").run((context) -> {
            assertThat(context.getEnvironment().getProperty("local.asyncrpc.server.address")).isEqualTo("local:transports-test");
            assertThat(context.getEnvironment().containsProperty("local.asyncrpc.server.port")).isFalse();
            assertThat(context.getBean(EchoAsync.class).echo("in-jvm").join(Duration.ofSeconds(10))).isEqualTo("echo: in-jvm");
        });
    }

    @Configuration(proxyBeanMethods = false)
    @ImportRemoteServices(EchoAsync.class)
    static class ImportEchoAsync {

    }
}
