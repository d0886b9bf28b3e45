package dev.asyncrpc.spring.autoconfigure.observability;

import java.util.function.Supplier;

import dev.asyncrpc.AsyncRpcServer;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The server's health: UP while it is bound and accepting calls; OUT_OF_SERVICE before it starts,
 * from the moment a drain begins, and once it is stopped, so that the readiness group takes the
 * application out of rotation before its calls are refused; DOWN once the server is FAILED (an
 * Error such as OutOfMemoryError reached one of its event loops, or its acceptor died). Saturation
 * shows in the details (calls in progress against their budget, work queued for workers, busy and
 * live worker threads, calls refused and work rejected so far) without changing the status: a busy
 * server that sheds load is still serving.
 */
final class AsyncRpcServerHealthIndicator implements HealthIndicator {

    private final Supplier<@Nullable AsyncRpcServer> server;

    AsyncRpcServerHealthIndicator(Supplier<@Nullable AsyncRpcServer> server) {
        this.server = server;
    }

    @Override
    public Health health() {
        AsyncRpcServer s = this.server.get();
        if (s == null) {
            return Health.outOfService().withDetail("state", "STOPPED").build();
        }
        Health.Builder health;
        if (s.state() == AsyncRpcServer.State.FAILED) {
            // an Error reached an event loop, or the acceptor died: never report UP over a dead server
            health = Health.down().withDetail("state", "FAILED")
                .withDetail("failure", s.failure().map(Throwable::toString).orElse("unknown"));
        }
        else {
            health = s.isAccepting() ? Health.up().withDetail("state", "ACCEPTING")
                    : Health.outOfService().withDetail("state", "DRAINING");
        }
        return health.withDetail("address", s.address())
            .withDetail("services", s.services())
            .withDetail("activeCalls", s.activeCalls())
            .withDetail("connections", s.connections())
            .withDetail("maxCallsInProgress", s.maxCallsInProgress())
            .withDetail("queuedWork", s.queuedWork())
            .withDetail("busyWorkers", s.busyWorkers())
            .withDetail("workerThreads", s.workerThreads())
            .withDetail("maxWorkerThreads", s.maxWorkerThreads())
            .withDetail("refusedCalls", s.refusedCalls())
            .withDetail("rejectedWork", s.rejectedWork())
            .build();
    }
}
