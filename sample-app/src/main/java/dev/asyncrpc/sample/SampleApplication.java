package dev.asyncrpc.sample;

import dev.asyncrpc.spring.ImportRemoteServices;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * The sample service: serves "greeter" ({@link GreeterEndpoint}) and, as its own client
 * ({@link Greeter}, {@link GreeterAsync}), calls it once at start-up ({@link GreeterDemo}).
 * With {@code asyncrpc.sample.demo.exit=true} it exits after the demo, with status 1 if a step
 * went wrong.
 */
@SpringBootApplication
@ImportRemoteServices({ Greeter.class, GreeterAsync.class })
@EnableConfigurationProperties(DemoProperties.class)
public class SampleApplication {

    @Bean
    @ConditionalOnBooleanProperty(name = "asyncrpc.sample.demo.enabled", matchIfMissing = true)
    GreeterDemo greeterDemo(Greeter greeter, GreeterAsync greeterAsync, DemoProperties properties) {
        return new GreeterDemo(greeter, greeterAsync, properties);
    }

    public static void main(String[] args) {
        ConfigurableApplicationContext context = SpringApplication.run(SampleApplication.class, args);
        if (context.getBean(DemoProperties.class).isExit()) {
            DemoReport report = context.getBeanProvider(GreeterDemo.class).stream().map(GreeterDemo::report).findFirst().orElse(null);
            int status = SpringApplication.exit(context, () -> (report == null || report.succeeded()) ? 0 : 1);
            System.exit(status);
        }
    }
}
