package dev.asyncrpc.spring.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.asyncrpc.AsyncCall;
import dev.asyncrpc.AsyncRemote;
import dev.asyncrpc.AsyncRpcClient;
import dev.asyncrpc.AsyncRpcServer;
import dev.asyncrpc.InPipe;
import dev.asyncrpc.OutPipe;
import dev.asyncrpc.PipeInfo;
import dev.asyncrpc.RemoteCallException;
import dev.asyncrpc.RemoteService;
import dev.asyncrpc.Status;
import dev.asyncrpc.spring.RemoteEndpoint;
import dev.asyncrpc.spring.autoconfigure.pipes.TransferAsync;
import dev.asyncrpc.spring.autoconfigure.pipes.TransferEndpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The server's graceful drain when its application context closes: readiness goes down first,
 * calls in progress (and their pipes, which keep streaming) finish, calls sent after go-away are
 * refused with a retry-safe status (and sent to a second server) or fail with UNAVAILABLE; no call
 * is lost.
 */
class GracefulShutdownTests {

    private static final Duration WAIT = Duration.ofSeconds(20);

    /** The server's view: an asynchronous implementation. */
    @RemoteService("slow")
    interface SlowService {

        @AsyncRemote
        CompletableFuture<Integer> work(int n);
    }

    /** The caller's view. */
    @RemoteService("slow")
    interface Slow {

        @AsyncRemote
        AsyncCall<Integer> work(int n);
    }

    /**
     * Holds every call until {@link #releaseAfter} is called, then completes each (those held and
     * those arriving later) after the given delay, from a timer thread.
     */
    @RemoteEndpoint
    static class SlowEndpoint implements SlowService {

        final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

        final CountDownLatch arrived;

        /** Counted down when a call with a negative argument arrives. */
        final CountDownLatch probe = new CountDownLatch(1);

        private final List<Runnable> held = new ArrayList<>();

        private Duration delay;

        SlowEndpoint(int expected) {
            this.arrived = new CountDownLatch(expected);
        }

        @Override
        public CompletableFuture<Integer> work(int n) {
            CompletableFuture<Integer> reply = new CompletableFuture<>();
            Runnable complete = () -> reply.complete(n);
            synchronized (this) {
                if (this.delay == null) {
                    this.held.add(complete);
                }
                else {
                    this.timer.schedule(complete, this.delay.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
            this.arrived.countDown();
            if (n < 0) {
                this.probe.countDown();
            }
            return reply;
        }

        synchronized void releaseAfter(Duration delay) {
            this.delay = delay;
            this.held.forEach((complete) -> this.timer.schedule(complete, delay.toMillis(), TimeUnit.MILLISECONDS));
            this.held.clear();
        }
    }

    /** A plain implementation for the second server. */
    static class QuickEndpoint implements SlowService {

        @Override
        public CompletableFuture<Integer> work(int n) {
            return CompletableFuture.completedFuture(n);
        }
    }

    private final List<AutoCloseable> closeables = new ArrayList<>();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ApplicationAvailabilityAutoConfiguration.class, AsyncRpcServerAutoConfiguration.class))
        .withPropertyValues("asyncrpc.server.port=0", "asyncrpc.server.address=127.0.0.1");

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : this.closeables) {
            c.close();
        }
    }

    /** Chunks of each pipe in the drain test: 4MB each way through the default 1MB windows. */
    private static final int PIPE_CHUNKS = 64;

    private static final int PIPE_CHUNK = 64 * 1024;

    @Test
    void closingTheContextDrainsCallsAndPipesInFlightAndLosesNone() throws Exception {
        int inFlightCount = 200;
        SlowEndpoint endpoint = new SlowEndpoint(inFlightCount);
        // the download pushes half its chunks, then waits until readiness goes down
        TransferEndpoint transfer = new TransferEndpoint().gated();
        this.closeables.add(endpoint.timer::shutdownNow);
        AsyncRpcServer second = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(new QuickEndpoint()).build().start();
        this.closeables.add(second);
        AsyncRpcClient secondClient = AsyncRpcClient.builder().address(second.address()).build();
        this.closeables.add(secondClient);

        CountDownLatch refusing = new CountDownLatch(1);
        int[] activeWhenReadinessWentDown = { -1 };
        List<AsyncCall<Integer>> sentWhileReadinessWasDown = new CopyOnWriteArrayList<>();
        this.runner.withBean(SlowEndpoint.class, () -> endpoint)
            .withBean(TransferEndpoint.class, () -> transfer)
            .withPropertyValues("asyncrpc.server.shutdown.grace-period=20s")
            .run((context) -> {
                AsyncRpcServer server = context.getBean(AsyncRpcServerLifecycle.class).getServer();
                AsyncRpcClient client = AsyncRpcClient.builder().address(server.address()).build();
                this.closeables.add(client);
                AsyncRpcClient fresh = AsyncRpcClient.builder().address(server.address()).build();
                this.closeables.add(fresh);
                context.addApplicationListener((event) -> {
                    if (event instanceof AvailabilityChangeEvent<?> change && change.getState() == ReadinessState.REFUSING_TRAFFIC) {
                        // readiness goes down before the drain: every call is still in progress,
                        // and the server still accepts a new connection and dispatches its call
                        activeWhenReadinessWentDown[0] = server.activeCalls();
                        sentWhileReadinessWasDown.add(fresh.proxy(Slow.class).work(-1));
                        try {
                            assertThat(endpoint.probe.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("probe call dispatched").isTrue();
                        }
                        catch (InterruptedException ex) {
                            Thread.currentThread().interrupt();
                        }
                        endpoint.releaseAfter(Duration.ofMillis(300));
                        transfer.openGate();
                        refusing.countDown();
                    }
                });

                Slow slow = client.proxy(Slow.class);
                List<AsyncCall<Integer>> inFlight = new ArrayList<>();
                for (int i = 0; i < inFlightCount; i++) {
                    inFlight.add(slow.work(i));
                }
                assertThat(endpoint.arrived.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("all calls reached the endpoint").isTrue();

                // two pipes streaming: an upload whose caller has sent half its data, a download whose implementation has
                TransferAsync transferAsync = client.proxy(TransferAsync.class);
                InPipe<byte[]> up = InPipe.create();
                CompletableFuture<Long> uploaded = transferAsync.upload(up);
                for (int i = 0; i < PIPE_CHUNKS / 2; i++) {
                    up.push(new byte[PIPE_CHUNK]);
                }
                OutPipe<byte[]> down = OutPipe.create();
                AsyncCall<Void> downloaded = transferAsync.download(PIPE_CHUNKS, PIPE_CHUNK, down);
                CompletableFuture<Integer> downloadedChunks = new CompletableFuture<>();
                Thread reader = new Thread(() -> {
                    try {
                        int n = 0;
                        for (byte[] chunk : down) {
                            assertThat(chunk).hasSize(PIPE_CHUNK).containsOnly((byte) n);
                            n++;
                        }
                        downloadedChunks.complete(n);
                    }
                    catch (Throwable ex) {
                        downloadedChunks.completeExceptionally(ex);
                    }
                }, "download-reader");
                reader.start();
                assertThat(transfer.uploading.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("upload streaming").isTrue();
                assertThat(transfer.downloading.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("download streaming").isTrue();
                assertThat(server.activeCalls()).isEqualTo(inFlightCount + 2);
                assertThat(server.openPipes()).extracting(PipeInfo::operation, PipeInfo::direction)
                    .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("transfer/upload", PipeInfo.Direction.IN),
                            org.assertj.core.groups.Tuple.tuple("transfer/download", PipeInfo.Direction.OUT));

                long closeStart = System.nanoTime();
                CompletableFuture<Void> closing = CompletableFuture.runAsync(context::close);
                assertThat(refusing.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("readiness went down").isTrue();
                // the upload's second half goes while the server drains (the download's goes since readiness went down)
                for (int i = PIPE_CHUNKS / 2; i < PIPE_CHUNKS; i++) {
                    up.push(new byte[PIPE_CHUNK]);
                }
                up.close();

                // calls sent while the server drains, in bursts (so that some race the go-away),
                // until it has closed, and a last burst after that
                Outcomes late = new Outcomes();
                int next = 1000;
                boolean closed = false;
                while (!closed && late.sent < 2000) {
                    closed = closing.isDone();
                    int first = next;
                    List<AsyncCall<Integer>> burst = new ArrayList<>();
                    for (int i = 0; i < 20; i++) {
                        burst.add(slow.work(next++));
                    }
                    for (int i = 0; i < burst.size(); i++) {
                        late.settle(first + i, burst.get(i), secondClient.proxy(Slow.class));
                    }
                }
                closing.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                long closeMillis = Duration.ofNanos(System.nanoTime() - closeStart).toMillis();

                int completed = 0;
                for (int i = 0; i < inFlight.size(); i++) {
                    assertThat(inFlight.get(i).join(WAIT)).isEqualTo(i);
                    completed++;
                }
                int pipesCompleted = 0;
                assertThat(uploaded.get(WAIT.toSeconds(), TimeUnit.SECONDS)).as("bytes the upload delivered").isEqualTo((long) PIPE_CHUNKS * PIPE_CHUNK);
                pipesCompleted++;
                downloaded.join(WAIT);
                assertThat(downloadedChunks.get(WAIT.toSeconds(), TimeUnit.SECONDS)).as("chunks the download delivered").isEqualTo(PIPE_CHUNKS);
                pipesCompleted++;
                reader.join(WAIT.toMillis());
                assertThat(sentWhileReadinessWasDown).hasSize(1);
                assertThat(sentWhileReadinessWasDown.get(0).join(WAIT)).as("call on a new connection while readiness was down").isEqualTo(-1);

                System.out.printf("graceful shutdown: %d/2 streaming pipes completed (%d bytes up, %d chunks down, 4MB each);"
                        + " %d/%d in-flight calls completed; readiness went down with %d calls active;"
                        + " %d calls sent while draining or after: %d completed by the draining server (sent before its go-away),"
                        + " %d refused with NOT_DISPATCHED and completed by the second server, %d failed with UNAVAILABLE;"
                        + " %d lost; context closed in %d ms%n", pipesCompleted, uploaded.join(), downloadedChunks.join(), completed,
                        inFlightCount, activeWhenReadinessWentDown[0], late.sent,
                        late.completedHere, late.completedElsewhere, late.unavailable, late.lost(), closeMillis);
                assertThat(activeWhenReadinessWentDown[0]).isEqualTo(inFlightCount + 2);
                assertThat(completed).isEqualTo(inFlightCount);
                assertThat(pipesCompleted).isEqualTo(2);
                assertThat(late.completedElsewhere + late.unavailable).as("calls refused after go-away").isPositive();
                assertThat(late.lost()).isZero();
            });
    }

    @Test
    void callsOutlastingTheGracePeriodFailWithUnavailableAndTheContextStillCloses() {
        SlowEndpoint endpoint = new SlowEndpoint(10);
        this.closeables.add(endpoint.timer::shutdownNow);
        this.runner.withBean(SlowEndpoint.class, () -> endpoint)
            .withPropertyValues("asyncrpc.server.shutdown.grace-period=300ms")
            .run((context) -> {
                AsyncRpcServer server = context.getBean(AsyncRpcServerLifecycle.class).getServer();
                AsyncRpcClient client = AsyncRpcClient.builder().address(server.address()).build();
                this.closeables.add(client);
                List<AsyncCall<Integer>> calls = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    calls.add(client.proxy(Slow.class).work(i));
                }
                assertThat(endpoint.arrived.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
                long start = System.nanoTime();
                context.close();
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                assertThat(took).as("closing waits for the grace period, not for the calls").isBetween(Duration.ofMillis(250), Duration.ofSeconds(10));
                for (AsyncCall<Integer> call : calls) {
                    assertThatExceptionOfType(RemoteCallException.class).isThrownBy(() -> call.join(WAIT))
                        .satisfies((ex) -> assertThat(ex.status()).isEqualTo(Status.UNAVAILABLE));
                }
                assertThat(server.activeCalls()).isZero();
            });
    }

    @Test
    void stopReturnsAtOnceAndCallsBackWhenTheServerHasDrained() throws Exception {
        SlowEndpoint endpoint = new SlowEndpoint(1);
        this.closeables.add(endpoint.timer::shutdownNow);
        AsyncRpcServerProperties properties = new AsyncRpcServerProperties();
        properties.setPort(0);
        properties.setAddress("127.0.0.1");
        AsyncRpcServerLifecycle lifecycle = new AsyncRpcServerLifecycle(properties, () -> List.of(endpoint), List.of(), null);
        lifecycle.start();
        this.closeables.add(lifecycle::stop);
        AsyncRpcClient client = AsyncRpcClient.builder().address(lifecycle.getServer().address()).build();
        this.closeables.add(client);
        AsyncCall<Integer> call = client.proxy(Slow.class).work(7);
        assertThat(endpoint.arrived.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

        CountDownLatch stopped = new CountDownLatch(1);
        lifecycle.stop(stopped::countDown);
        assertThat(stopped.getCount()).as("stop(Runnable) returned before the drain ended").isOne();
        assertThat(lifecycle.isRunning()).as("running while draining").isTrue();
        assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName).contains(AsyncRpcServerLifecycle.DRAIN_THREAD);

        endpoint.releaseAfter(Duration.ZERO);
        assertThat(call.join(WAIT)).isEqualTo(7);
        assertThat(stopped.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("callback after the drain").isTrue();
        assertThat(lifecycle.isRunning()).isFalse();
        assertThat(lifecycle.getServer()).isNull();
    }

    @Test
    void readinessIsNotPublishedAgainWhenTheApplicationRefusesTrafficAlready() {
        List<ReadinessState> states = new CopyOnWriteArrayList<>();
        this.runner.withBean(EchoEndpoint.class).run((context) -> {
            context.addApplicationListener(readinessRecorder(states));
            AvailabilityChangeEvent.publish(context, ReadinessState.REFUSING_TRAFFIC); // as a web server's context does first
            context.close();
        });
        assertThat(states).containsExactly(ReadinessState.REFUSING_TRAFFIC);
    }

    @Test
    void aRestartedServerAcceptsTrafficAgain() {
        List<ReadinessState> states = new CopyOnWriteArrayList<>();
        this.runner.withBean(EchoEndpoint.class).run((context) -> {
            context.addApplicationListener(readinessRecorder(states));
            context.stop();
            assertThat(context.getBean(AsyncRpcServerLifecycle.class).isRunning()).isFalse();
            context.start();
            assertThat(context.getBean(AsyncRpcServerLifecycle.class).isRunning()).isTrue();
        });
        assertThat(states).containsExactly(ReadinessState.REFUSING_TRAFFIC, ReadinessState.ACCEPTING_TRAFFIC, ReadinessState.REFUSING_TRAFFIC);
    }

    private static ApplicationListener<ApplicationEvent> readinessRecorder(List<ReadinessState> states) {
        return (event) -> {
            if (event instanceof AvailabilityChangeEvent<?> change && change.getState() instanceof ReadinessState state) {
                states.add(state);
            }
        };
    }

    /** What became of the calls sent while (and after) the server drained. */
    private static final class Outcomes {

        int sent;

        int completedHere;

        int completedElsewhere;

        int unavailable;

        int other;

        /** Wait for {@code call} of {@code n}; one refused with NOT_DISPATCHED (never run) is sent to {@code elsewhere}. */
        void settle(int n, AsyncCall<Integer> call, Slow elsewhere) {
            this.sent++;
            try {
                assertThat(call.join(WAIT)).isEqualTo(n);
                this.completedHere++;
            }
            catch (RemoteCallException ex) {
                if (ex.status() == Status.NOT_DISPATCHED) {
                    assertThat(elsewhere.work(n).join(WAIT)).isEqualTo(n);
                    this.completedElsewhere++;
                }
                else if (ex.status() == Status.UNAVAILABLE) {
                    this.unavailable++;
                }
                else {
                    this.other++;
                    throw ex;
                }
            }
        }

        int lost() {
            return this.sent - this.completedHere - this.completedElsewhere - this.unavailable;
        }
    }
}
