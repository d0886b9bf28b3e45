package dev.asyncrpc.sample;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.github.dockerjava.api.exception.NotFoundException;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

/**
 * Runs a container test where there is Docker, and skips it (saying why) only where there is none.
 *
 * <p>{@code @Testcontainers(disabledWithoutDocker = true)} skips whenever Testcontainers cannot use
 * Docker, for whatever reason, so a misconfigured machine (say, Ryuk enabled where its image cannot
 * be pulled) would skip the test silently although Docker runs. Here the test is skipped only when
 * nothing answers Docker's {@code /_ping} at {@code DOCKER_HOST} (or {@code /var/run/docker.sock});
 * when Docker answers but Testcontainers cannot use it, the test runs and fails with Testcontainers'
 * reason. With Docker usable, a missing base image fails the test class with the command that
 * builds it.
 */
final class DockerCondition implements ExecutionCondition {

    /** The local base image the sample runs on, built by {@code .ci/base-image.sh}. */
    static final String BASE_IMAGE = "asyncrpc/jre-base:17";

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (DockerClientFactory.instance().isDockerAvailable()) {
            try {
                DockerClientFactory.instance().client().inspectImageCmd(BASE_IMAGE).exec();
            }
            catch (NotFoundException ex) {
                throw new IllegalStateException("Docker is available but the image " + BASE_IMAGE
                        + " is missing: build it with `bash .ci/base-image.sh` (or run `bash .ci/run`)", ex);
            }
            return ConditionEvaluationResult.enabled("Docker is available to Testcontainers");
        }
        String host = System.getenv("DOCKER_HOST");
        String where = (host == null || host.isBlank()) ? "unix:///var/run/docker.sock" : host.trim();
        String answer = ping(where);
        if (answer == null) {
            return ConditionEvaluationResult.disabled("Docker is absent: nothing answers at " + where);
        }
        return ConditionEvaluationResult.enabled("Docker answers at " + where + " (" + answer
                + ") but Testcontainers cannot use it: the test runs to report why");
    }

    /**
     * Ask a Docker engine for {@code /_ping}.
     * @param where {@code unix:///path} or {@code tcp://host:port}
     * @return the first line of the answer, or {@code null} when nothing answers within 5 seconds
     */
    private static String ping(String where) {
        SocketAddress address;
        StandardProtocolFamily family;
        if (where.startsWith("unix://")) {
            address = UnixDomainSocketAddress.of(where.substring("unix://".length()));
            family = StandardProtocolFamily.UNIX;
        }
        else if (where.startsWith("tcp://")) {
            URI uri = URI.create(where);
            address = new InetSocketAddress(uri.getHost(), uri.getPort());
            family = StandardProtocolFamily.INET;
        }
        else {
            return "an address this check does not understand";
        }
        SocketChannel channel;
        try {
            channel = SocketChannel.open(family);
        }
        catch (IOException ex) {
            return null;
        }
        CompletableFuture<String> answer = CompletableFuture.supplyAsync(() -> {
            try {
                channel.connect(address);
                channel.write(ByteBuffer.wrap("GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
                ByteBuffer buffer = ByteBuffer.allocate(256);
                if (channel.read(buffer) <= 0) {
                    return null;
                }
                String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII);
                int end = text.indexOf('\r');
                return (end >= 0) ? text.substring(0, end) : text;
            }
            catch (IOException ex) {
                return null;
            }
        });
        try {
            return answer.get(5, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return null;
        }
        catch (ExecutionException | TimeoutException ex) {
            return null;
        }
        finally {
            try {
                channel.close();
            }
            catch (IOException ex) {
                // nothing to do
            }
        }
    }
}
