package dev.asyncrpc.sample;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import dev.asyncrpc.AsyncRpcClient;
import dev.asyncrpc.CallOptions;
import dev.asyncrpc.Ordering;
import dev.asyncrpc.RemoteCallException;
import dev.asyncrpc.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rolling-restart drill on the real image: two containers of the sample (host networking,
 * loopback), a balanced client keeping 100 calls in flight over both, and each container in turn
 * stopped the way Kubernetes stops a pod ({@code SIGTERM}: Spring drains the asyncrpc server) and
 * started again on its ports. No call may fail.
 */
@ExtendWith(DockerCondition.class)
class SampleRollingRestartContainerTests {

    private static final int IN_FLIGHT = 100;

    @Test
    void rollingRestartOfTwoContainersLosesNoCall() throws Exception {
        String image = SampleImage.build();
        int[] ports = { freeLoopbackPort(), freeLoopbackPort() };
        int[] managementPorts = { freeLoopbackPort(), freeLoopbackPort() };
        GenericContainer<?>[] containers = { start(image, ports[0], managementPorts[0]), start(image, ports[1], managementPorts[1]) };
        LongAdder issued = new LongAdder();
        LongAdder succeeded = new LongAdder();
        Map<Status, LongAdder> failed = new ConcurrentHashMap<>();
        Semaphore window = new Semaphore(IN_FLIGHT);
        AtomicBoolean running = new AtomicBoolean(true);
        try (AsyncRpcClient client = AsyncRpcClient.builder().addresses("127.0.0.1:" + ports[0], "127.0.0.1:" + ports[1])
                .timeout(Duration.ofSeconds(60)).build()) {
            GreeterAsync causal = client.proxy(GreeterAsync.class);
            GreeterAsync nonCausal = client.proxy(GreeterAsync.class, CallOptions.DEFAULT.withOrdering(Ordering.NONCAUSAL));
            Thread[] callers = new Thread[4];
            for (int t = 0; t < callers.length; t++) {
                GreeterAsync greeter = (t < 2) ? causal : nonCausal;
                callers[t] = new Thread(() -> {
                    int n = 0;
                    while (running.get()) {
                        try {
                            if (!window.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                                continue;
                            }
                        }
                        catch (InterruptedException ex) {
                            return;
                        }
                        String name = "n" + (n++);
                        issued.increment();
                        // calls that take 20 ms on the server, so that every drain has calls in progress
                        greeter.greetLater(name, 20).whenDone((greeting, ex) -> {
                            if (ex == null && greeting.name().equals(name)) {
                                succeeded.increment();
                            }
                            else {
                                Status s = (ex instanceof RemoteCallException rce) ? rce.status() : Status.INTERNAL;
                                failed.computeIfAbsent(s, (k) -> new LongAdder()).increment();
                            }
                            window.release();
                        }, Runnable::run);
                    }
                }, "container-drill-" + t);
                callers[t].start();
            }
            awaitConnections(client, 2);
            for (int i = 0; i < 2; i++) {
                long before = succeeded.sum();
                long t0 = System.nanoTime();
                // what the kubelet does: SIGTERM, then wait (up to the grace period) for the exit
                DockerClientFactory.instance().client().stopContainerCmd(containers[i].getContainerId()).withTimeout(30).exec();
                String log = containers[i].getLogs();
                long stopped = System.nanoTime() - t0;
                containers[i].stop();
                assertThat(log).as("container %d drained", i).contains("drained and closed");
                containers[i] = start(image, ports[i], managementPorts[i]);
                awaitConnections(client, 2);
                System.out.printf("container drill: container %d drained and exited in %d ms, back after %d ms; %d calls succeeded meanwhile,"
                        + " %d retried so far%n", i, TimeUnit.NANOSECONDS.toMillis(stopped), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0),
                        succeeded.sum() - before, client.retriedCalls());
            }
            long mark = succeeded.sum();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (succeeded.sum() < mark + 1000 && System.nanoTime() < until) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
            running.set(false);
            for (Thread t : callers) {
                t.join(10_000);
            }
            assertThat(window.tryAcquire(IN_FLIGHT, 60, TimeUnit.SECONDS)).as("every call finished").isTrue();
            long failures = failed.values().stream().mapToLong(LongAdder::sum).sum();
            System.out.printf("container drill: issued %d, succeeded %d, retried %d, failed %d %s%n", issued.sum(), succeeded.sum(),
                    client.retriedCalls(), failures, failed);
            assertThat(failed).as("failed calls by status").isEmpty();
            assertThat(succeeded.sum()).isEqualTo(issued.sum());
        }
        finally {
            running.set(false);
            for (GenericContainer<?> c : containers) {
                c.stop();
            }
        }
    }

    private static GenericContainer<?> start(String image, int port, int managementPort) {
        GenericContainer<?> container = new GenericContainer<>(image).withNetworkMode("host")
            .withEnv("ASYNCRPC_SERVER_ADDRESS", "127.0.0.1")
            .withEnv("ASYNCRPC_SERVER_PORT", String.valueOf(port))
            .withEnv("ASYNCRPC_SERVER_SHUTDOWN_GRACE_PERIOD", "10s")
            .withEnv("ASYNCRPC_SAMPLE_DEMO_ENABLED", "false")
            .withEnv("SERVER_ADDRESS", "127.0.0.1")
            .withEnv("SERVER_PORT", String.valueOf(managementPort))
            .waitingFor(Wait.forLogMessage(".*Started SampleApplication.*", 1).withStartupTimeout(Duration.ofMinutes(2)));
        container.start();
        return container;
    }

    /**
     * Wait (bounded) until the client has held {@code count} connections for half a second: the
     * restarted container was reconnected (a refused attempt to a stopped one lasts far less).
     */
    private static void awaitConnections(AsyncRpcClient client, int count) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        long since = 0;
        while (System.nanoTime() < deadline) {
            if (client.connections() < count) {
                since = 0;
            }
            else if (since == 0) {
                since = System.nanoTime();
            }
            else if (System.nanoTime() - since > TimeUnit.MILLISECONDS.toNanos(500)) {
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        assertThat(client.connections()).as("connections of the client held for 500 ms").isGreaterThanOrEqualTo(count);
    }

    private static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
