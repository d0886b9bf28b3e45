package dev.asyncrpc.spring.autoconfigure.testcontainers;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import dev.asyncrpc.spring.AsyncRpcConnectionDetails;
import org.jspecify.annotations.Nullable;
import org.testcontainers.containers.GenericContainer;

import org.springframework.boot.testcontainers.service.connection.ContainerConnectionDetailsFactory;
import org.springframework.boot.testcontainers.service.connection.ContainerConnectionSource;

/**
 * Makes {@link AsyncRpcConnectionDetails} from a container that runs an asyncrpc server, so that
 * {@code @ServiceConnection} points the clients of a test at it.
 *
 * <p>The server's port is the container's {@code ASYNCRPC_SERVER_PORT} environment variable (the
 * relaxed form of {@code asyncrpc.server.port}), 7443 when unset. With host networking the
 * address is {@code 127.0.0.1} and that port; otherwise the container's host and the port mapped
 * to it. The container serves every service unless its label {@value #SERVICES_LABEL} lists them
 * (comma-separated).
 */
class AsyncRpcContainerConnectionDetailsFactory extends ContainerConnectionDetailsFactory<GenericContainer<?>, AsyncRpcConnectionDetails> {

    /** The container label that lists the services it serves. */
    static final String SERVICES_LABEL = "dev.asyncrpc.services";

    private static final int DEFAULT_PORT = 7443;

    AsyncRpcContainerConnectionDetailsFactory() {
        super(List.of("asyncrpc", "asyncrpc/sample-app"), "dev.asyncrpc.AsyncRpcClient");
    }

    @Override
    protected AsyncRpcConnectionDetails getContainerConnectionDetails(ContainerConnectionSource<GenericContainer<?>> source) {
        return new AsyncRpcContainerConnectionDetails(source);
    }

    /** Connection details backed by a running container. */
    static final class AsyncRpcContainerConnectionDetails extends ContainerConnectionDetails<GenericContainer<?>>
            implements AsyncRpcConnectionDetails {

        AsyncRpcContainerConnectionDetails(ContainerConnectionSource<GenericContainer<?>> source) {
            super(source);
        }

        @Override
        public @Nullable String getAddress(String service) {
            GenericContainer<?> container = getContainer();
            String served = container.getLabels().get(SERVICES_LABEL);
            if (served != null && Arrays.stream(served.split(",")).map(String::trim).noneMatch(service::equals)) {
                return null;
            }
            return address(container.getEnvMap(), container.getNetworkMode(), container.getHost(), container::getMappedPort);
        }

        static String address(Map<String, String> env, @Nullable String networkMode, String host,
                java.util.function.IntUnaryOperator mappedPort) {
            String configured = env.get("ASYNCRPC_SERVER_PORT");
            int port = (configured != null && !configured.isBlank()) ? Integer.parseInt(configured.trim()) : DEFAULT_PORT;
            if ("host".equals(networkMode)) {
                return "127.0.0.1:" + port;
            }
            return host + ":" + mappedPort.applyAsInt(port);
        }
    }
}
