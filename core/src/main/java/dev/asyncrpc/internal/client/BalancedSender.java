package dev.asyncrpc.internal.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;

import dev.asyncrpc.AddressResolver;
import dev.asyncrpc.RemoteCallException;
import dev.asyncrpc.Status;
import dev.asyncrpc.internal.Threads;
import dev.asyncrpc.internal.client.lb.AddressList;
import dev.asyncrpc.internal.client.lb.Backoff;
import dev.asyncrpc.internal.client.lb.Balancer;
import dev.asyncrpc.internal.client.lb.Member;
import dev.asyncrpc.internal.transport.Endpoint;
import io.netty.buffer.ByteBuf;

/**
 * Sends the calls of a binding whose address names several endpoints, or a name re-resolved on an
 * interval, over a {@link Balancer}.
 * <p>
 * <b>Attempts.</b> Each call is sent as one or more attempts, each a {@link CallFuture} of its own
 * on one connection, carrying a retained duplicate of the call's request frame; the binding keeps
 * the original until the call's outcome is known. An attempt that ends in a way that proves the
 * implementation never ran is sent again, on another endpoint when there is one, up to
 * {@code maxAttempts} in all:
 * <ul>
 * <li>the server refused it with {@link Status#NOT_DISPATCHED} (it was draining);</li>
 * <li>it failed with {@link Status#UNAVAILABLE} before it was written (connect or handshake
 *     failure: it never got a call id);</li>
 * <li>its connection closed after a GOAWAY whose last call id is below the attempt's.</li>
 * </ul>
 * A call with pipes is retried only in the second case: once its CALL was written, pipe data may
 * have followed it. Nothing else is retried. A retry of a call never written waits a short backoff first.
 * <p>
 * <b>Causal ordering.</b> Calls of a causal operation from one thread stay on the endpoint of that
 * thread's previous call while that thread has calls in flight through this binding, so that the
 * server sees them in order (ordering keys are per connection). Once they have all finished, the
 * thread's next call is balanced afresh. If that endpoint stops taking calls (GOAWAY, failure),
 * the thread moves on and order across the two endpoints is not kept; neither is it for a call
 * that is retried after a refusal.
 */
final class BalancedSender implements AutoCloseable {

    private static final long MAINTAIN_MILLIS = 50;

    private final ClientRuntime runtime;
    private final AddressList address;
    private final AddressResolver resolver;
    private final Balancer<ClientConnection> balancer;
    private final ScheduledExecutorService scheduler;
    private final int maxAttempts;
    private final ThreadLocal<Affinity> affinity = ThreadLocal.withInitial(Affinity::new);
    private final LongAdder retried = new LongAdder();
    /** Bytes of request frames kept for calls whose outcome is not known yet (the cost of retrying). */
    private final LongAdder keptBytes = new LongAdder();
    /** Calls waiting to be sent again; failed when the client closes. */
    private final java.util.Set<Retry> waiting = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean closed;
    private volatile String lastResolutionProblem;

    /**
     * Start balancing: resolve once now (if re-resolving), then keep connections up and re-resolve
     * every {@code refreshInterval} on a background thread.
     * @param resolver the resolver, or {@code null} to use the entries as written
     * @param refreshInterval how often to resolve again, or {@code null} for never
     */
    BalancedSender(ClientRuntime runtime, AddressList address, AddressResolver resolver, Duration refreshInterval, int maxAttempts,
            Backoff backoff) {
        this.runtime = runtime;
        this.address = address;
        this.resolver = resolver;
        this.maxAttempts = maxAttempts;
        this.balancer = new Balancer<>(new Connector(runtime), backoff);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(Threads.daemon("asyncrpc-balancer"));
        if (resolver != null) {
            refresh();
        }
        else {
            this.balancer.update(address.entries());
        }
        this.scheduler.scheduleWithFixedDelay(this::maintain, 0, MAINTAIN_MILLIS, TimeUnit.MILLISECONDS);
        if (resolver != null && refreshInterval != null) {
            long every = refreshInterval.toNanos();
            this.scheduler.scheduleWithFixedDelay(this::refresh, every, every, TimeUnit.NANOSECONDS);
        }
    }

    private void maintain() {
        try {
            this.balancer.maintain();
        }
        catch (RuntimeException ex) {
            System.getLogger(BalancedSender.class.getName()).log(System.Logger.Level.WARNING, "connection upkeep for " + this.address + " failed", ex);
        }
    }

    private void refresh() {
        List<String> problems = new ArrayList<>();
        List<Endpoint> now = this.address.resolve(this.resolver, problems);
        this.lastResolutionProblem = problems.isEmpty() ? null : String.join("; ", problems);
        Balancer.Change change = this.balancer.update(now);
        if (!change.isEmpty()) {
            System.getLogger(BalancedSender.class.getName()).log(System.Logger.Level.DEBUG,
                    () -> this.address + ": endpoints added " + change.added() + ", removed " + change.removed());
        }
        this.balancer.maintain(); // connect the new ones now rather than on the next round
    }

    /** The address as configured. */
    String address() {
        return this.address.toString();
    }

    /** The endpoints now, each with its calls in progress. */
    List<String> endpoints() {
        return this.balancer.members().stream().map(m -> m.endpoint().toString()).toList();
    }

    long retried() {
        return this.retried.sum();
    }

    long keptBytes() {
        return this.keptBytes.sum();
    }

    /** Ping the endpoint the balancer would pick for a call now (opening its connection if needed). Any thread. */
    java.util.concurrent.CompletableFuture<Duration> ping(Duration timeout) {
        Member<ClientConnection> m = this.closed ? null : this.balancer.pick(null);
        if (m == null && !this.closed) {
            m = this.balancer.fallback(null);
        }
        if (m == null) {
            String problem = this.lastResolutionProblem;
            return java.util.concurrent.CompletableFuture.failedFuture(new RemoteCallException(Status.UNAVAILABLE, "no endpoint of "
                    + this.address + " to ping" + ((problem != null) ? " (" + problem + ")" : "")));
        }
        return this.balancer.connectionOf(m).ping(timeout);
    }

    /**
     * Send a call; takes ownership of its request. Any thread.
     */
    void send(CallFuture<?> call) {
        ByteBuf request = call.takeRequest();
        this.keptBytes.add(request.capacity());
        Affinity aff = call.method.isCausal() ? this.affinity.get() : null;
        if (aff != null) {
            aff.inFlight.incrementAndGet();
        }
        dispatch(call, request, 1, null, aff);
    }

    private void dispatch(CallFuture<?> call, ByteBuf request, int attempt, Member<ClientConnection> previous, Affinity aff) {
        if (call.isDone() || call.cancelRequested) {
            finish(call, request, aff, new RemoteCallException(Status.CANCELLED, "cancelled by the caller"));
            return;
        }
        if (this.closed || this.runtime.isClosed()) {
            finish(call, request, aff, closedFailure());
            return;
        }
        Member<ClientConnection> m = choose(call, previous, aff);
        if (m == null) {
            String problem = this.lastResolutionProblem;
            RemoteCallException none = new RemoteCallException(Status.UNAVAILABLE, "no endpoint of " + this.address + " to call"
                    + ((problem != null) ? " (" + problem + ")" : "") + "; the call was not sent");
            retryLater(call, request, attempt, null, aff, none);
            return;
        }
        ClientConnection connection = this.balancer.connectionOf(m);
        CallFuture<Object> inner = new CallFuture<>(call.method, request.retainedDuplicate(), call.deadlineNanos);
        inner.pipes = call.pipes; // the call's pipes attach where this attempt is written
        inner.completeOnLoop = call.completeOnLoop; // then the attempt's outcome completes the call on the loop too
        m.callStarted();
        call.attempt = inner;
        inner.whenComplete(new Attempt(call, request, attempt, m, connection, inner, aff));
        connection.send(inner);
        if (call.cancelRequested && !inner.isDone()) {
            inner.cancelCall(call.isCancelled() ? dev.asyncrpc.CancelMode.ABORTIVE : dev.asyncrpc.CancelMode.GRACEFUL);
        }
    }

    private Member<ClientConnection> choose(CallFuture<?> call, Member<ClientConnection> previous, Affinity aff) {
        if (aff != null && previous == null) {
            @SuppressWarnings("unchecked")
            Member<ClientConnection> last = (Member<ClientConnection>) aff.member;
            // inFlight counts this call too: more than one means the thread has others in flight
            if (last != null && aff.inFlight.get() > 1 && this.balancer.isEligible(last)) {
                return last;
            }
        }
        Member<ClientConnection> m = this.balancer.pick(previous);
        if (m == null) {
            m = this.balancer.fallback(previous);
        }
        if (aff != null && m != null) {
            aff.member = m;
        }
        return m;
    }

    /** Send again after a short pause (the call was not written anywhere), or fail if out of attempts. */
    private void retryLater(CallFuture<?> call, ByteBuf request, int attempt, Member<ClientConnection> previous, Affinity aff,
            RemoteCallException cause) {
        if (attempt >= this.maxAttempts || !canRetry(call)) {
            finish(call, request, aff, cause);
            return;
        }
        this.retried.increment();
        long delayMillis = Math.min(1000, 25L << Math.min(attempt, 6));
        Retry retry = new Retry(call, request, attempt + 1, previous, aff);
        this.waiting.add(retry);
        try {
            this.scheduler.schedule(retry, delayMillis, TimeUnit.MILLISECONDS);
        }
        catch (RejectedExecutionException ex) {
            if (this.waiting.remove(retry)) {
                finish(call, request, aff, closedFailure());
            }
            return;
        }
        if (this.closed && this.waiting.remove(retry)) {
            finish(call, request, aff, closedFailure());
        }
    }

    private RemoteCallException closedFailure() {
        return new RemoteCallException(Status.UNAVAILABLE, "the client is closed: calls to " + this.address + " cannot be made");
    }

    /** A call to send again after a pause; whoever removes it from {@link #waiting} owns it. */
    private final class Retry implements Runnable {

        private final CallFuture<?> call;
        private final ByteBuf request;
        private final int attempt;
        private final Member<ClientConnection> previous;
        private final Affinity aff;

        Retry(CallFuture<?> call, ByteBuf request, int attempt, Member<ClientConnection> previous, Affinity aff) {
            this.call = call;
            this.request = request;
            this.attempt = attempt;
            this.previous = previous;
            this.aff = aff;
        }

        @Override
        public void run() {
            if (BalancedSender.this.waiting.remove(this)) {
                dispatch(this.call, this.request, this.attempt, this.previous, this.aff);
            }
        }

        void fail() {
            finish(this.call, this.request, this.aff, closedFailure());
        }
    }

    private static boolean canRetry(CallFuture<?> call) {
        return !call.isDone() && !call.cancelRequested && (call.deadlineNanos == 0 || call.deadlineNanos - System.nanoTime() > 0);
    }

    /** The call's outcome is known: release the kept request, complete the call if a failure is given. */
    private void finish(CallFuture<?> call, ByteBuf request, Affinity aff, Throwable failure) {
        this.keptBytes.add(-request.capacity());
        request.release();
        if (aff != null) {
            aff.inFlight.decrementAndGet();
        }
        if (failure != null) {
            call.failWith(failure);
        }
    }

    /** What became of one attempt; runs where the attempt completed (the client's executor, usually). */
    private final class Attempt implements BiConsumer<Object, Throwable> {

        private final CallFuture<?> call;
        private final ByteBuf request;
        private final int number;
        private final Member<ClientConnection> member;
        private final ClientConnection connection;
        private final CallFuture<Object> inner;
        private final Affinity aff;

        Attempt(CallFuture<?> call, ByteBuf request, int number, Member<ClientConnection> member, ClientConnection connection,
                CallFuture<Object> inner, Affinity aff) {
            this.call = call;
            this.request = request;
            this.number = number;
            this.member = member;
            this.connection = connection;
            this.inner = inner;
            this.aff = aff;
        }

        @Override
        @SuppressWarnings({ "unchecked", "rawtypes" })
        public void accept(Object value, Throwable failure) {
            this.member.callEnded();
            if (failure == null) {
                finish(this.call, this.request, this.aff, null);
                ((CallFuture) this.call).succeed(value);
                return;
            }
            Throwable cause = (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause() : failure;
            if (cause instanceof CancellationException) {
                cause = new RemoteCallException(Status.CANCELLED, "cancelled by the caller");
            }
            if (cause instanceof RemoteCallException rce && canRetry(this.call) && this.number < BalancedSender.this.maxAttempts) {
                // pipe data may have followed a written CALL and been dropped with it: not repeatable
                if ((rce.status() == Status.NOT_DISPATCHED || isAboveGoAway(rce)) && this.call.pipes == null) {
                    BalancedSender.this.retried.increment();
                    dispatch(this.call, this.request, this.number + 1, this.member, this.aff);
                    return;
                }
                if (rce.status() == Status.UNAVAILABLE && this.inner.id == 0) {
                    retryLater(this.call, this.request, this.number, this.member, this.aff, rce);
                    return;
                }
            }
            finish(this.call, this.request, this.aff, cause);
        }

        /** Lost with its connection, but sent after the last call the server said it may have dispatched. */
        private boolean isAboveGoAway(RemoteCallException rce) {
            long last = this.connection.goAwayLastCallId();
            return rce.status() == Status.UNAVAILABLE && last >= 0 && this.inner.id != 0 && (this.inner.id & 0xFFFF_FFFFL) > last;
        }
    }

    /** The endpoint a thread's causal calls go to, and how many of them are in flight. */
    private static final class Affinity {

        volatile Member<?> member;
        final AtomicInteger inFlight = new AtomicInteger();
    }

    private static final class Connector implements Balancer.Connector<ClientConnection> {

        private final ClientRuntime runtime;

        Connector(ClientRuntime runtime) {
            this.runtime = runtime;
        }

        @Override
        public ClientConnection connect(Endpoint endpoint) {
            return this.runtime.connect(endpoint);
        }

        @Override
        public boolean isReady(ClientConnection connection) {
            return connection.isReady();
        }

        @Override
        public boolean isUsable(ClientConnection connection) {
            return connection.isUsable();
        }

        @Override
        public void close(ClientConnection connection, String reason) {
            connection.close(reason);
        }
    }

    /** Stop the background work and close the connections. */
    @Override
    public void close() {
        this.closed = true;
        this.scheduler.shutdownNow();
        for (Retry r : this.waiting) {
            if (this.waiting.remove(r)) {
                r.fail();
            }
        }
        this.balancer.close("client closed");
    }
}
