package dev.asyncrpc.benchmarks;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.CompletableFuture;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.asyncrpc.AsyncRemote;
import dev.asyncrpc.AsyncRpcClient;
import dev.asyncrpc.CallOptions;
import dev.asyncrpc.RemoteService;
import dev.asyncrpc.spring.RemoteEndpoint;
import dev.asyncrpc.spring.autoconfigure.AsyncRpcServerLifecycle;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

/**
 * asyncrpc served by Spring Boot (the auto-configured server, an asynchronous {@code @RemoteEndpoint}),
 * called by a core client: {@code asyncrpc-spring} without security, {@code asyncrpc-bearer} with the
 * resource-server JWT settings (an RS256 public key file) so that the server authenticates every
 * call's bearer token (one token, 2048-bit RSA, validated once and then found in the token cache)
 * and puts the caller in the security context around the implementation.
 */
final class SpringBearerDriver implements Driver {

    /** The caller's asynchronous view of the operation. */
    @RemoteService("bench")
    public interface EchoAsync {

        @AsyncRemote
        CompletableFuture<byte[]> echo(byte[] payload);
    }

    /** The asynchronous implementation, served as a Spring bean. */
    @RemoteEndpoint
    public static class EchoEndpoint implements EchoAsync {

        @Override
        public CompletableFuture<byte[]> echo(byte[] payload) {
            return CompletableFuture.completedFuture(payload);
        }
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @Import(EchoEndpoint.class)
    static class BenchApplication {

    }

    private final boolean bearer;
    private ConfigurableApplicationContext context;
    private AsyncRpcClient client;
    private EchoAsync echo;

    SpringBearerDriver(boolean bearer) {
        this.bearer = bearer;
    }

    @Override
    public String name() {
        return this.bearer ? "asyncrpc-bearer" : "asyncrpc-spring";
    }

    @Override
    public String description() {
        return "Spring Boot server, async @RemoteEndpoint, CompletableFuture caller, "
                + (this.bearer ? "JWT bearer token on every call (RS256, validated once, then cached)" : "no security");
    }

    @Override
    public void start() throws Exception {
        SpringApplicationBuilder app = new SpringApplicationBuilder(BenchApplication.class).web(WebApplicationType.NONE)
            .logStartupInfo(false)
            .properties("spring.main.banner-mode=off", "asyncrpc.server.port=0", "asyncrpc.server.address=127.0.0.1",
                    "asyncrpc.client.enabled=false", "logging.level.root=warn");
        CallOptions options = CallOptions.DEFAULT;
        if (this.bearer) {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair keys = generator.generateKeyPair();
            Path pem = Files.createTempFile("asyncrpc-bench-jwt", ".pem");
            pem.toFile().deleteOnExit();
            Files.writeString(pem, "-----BEGIN PUBLIC KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(keys.getPublic().getEncoded())
                    + "\n-----END PUBLIC KEY-----\n");
            app.properties("spring.security.oauth2.resourceserver.jwt.public-key-location=file:" + pem);
            Instant now = Instant.now();
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), new JWTClaimsSet.Builder().subject("bench")
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(3600))).claim("scope", "read").build());
            jwt.sign(new RSASSASigner((RSAPrivateKey) keys.getPrivate()));
            options = options.withMetadata("authorization", "Bearer " + jwt.serialize());
        }
        this.context = app.run();
        String address = this.context.getBean(AsyncRpcServerLifecycle.class).getServer().address();
        this.client = AsyncRpcClient.builder().address(address).build();
        this.echo = this.client.proxy(EchoAsync.class, options);
    }

    @Override
    public void call(byte[] payload, Callback callback) {
        this.echo.echo(payload).whenComplete(callback::done);
    }

    @Override
    public void close() {
        if (this.client != null) {
            this.client.close();
        }
        if (this.context != null) {
            this.context.close();
        }
    }
}
