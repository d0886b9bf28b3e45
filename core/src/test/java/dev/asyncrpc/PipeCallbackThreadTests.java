package dev.asyncrpc;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where the {@code onAvailable} callbacks of an asynchronous implementation's in-pipe run: on a
 * worker for the first 32 runs, then on the event loop that read the data; on the workers always
 * with inline dispatch off.
 */
class PipeCallbackThreadTests {

    static final int RUNS = 40;

    @RemoteService("callbacks")
    public interface Drain {
        @AsyncRemote
        CompletableFuture<Integer> drain(InPipe<Integer> numbers);
    }

    /** Reports, per element, the thread its callback ran on. */
    static final class DrainEndpoint implements Drain {

        final BlockingQueue<String> threads = new LinkedBlockingQueue<>();

        @Override
        public CompletableFuture<Integer> drain(InPipe<Integer> numbers) {
            CompletableFuture<Integer> result = new CompletableFuture<>();
            new Runnable() {
                int n;

                @Override
                public void run() {
                    while (true) {
                        List<Integer> got = numbers.pull(16);
                        if (got.isEmpty()) {
                            if (numbers.isClosed()) {
                                result.complete(this.n);
                            }
                            else {
                                numbers.onAvailable(this);
                                // after registering: the caller pushes the next element only now
                                DrainEndpoint.this.threads.add(Thread.currentThread().getName());
                            }
                            return;
                        }
                        this.n += got.size();
                    }
                }
            }.run();
            return result;
        }
    }

    private AsyncRpcServer server;
    private AsyncRpcClient client;

    @AfterEach
    void stop() {
        this.client.close();
        this.server.close();
    }

    /**
     * Push one element at a time, each once the run that pulled the previous one has registered its
     * callback again: one run per element. Returns the thread of each run: the implementation's
     * own first, then callback run 1, 2, ...
     */
    private List<String> threadsOfCallbacks(AsyncRpcServer.Builder builder) throws Exception {
        DrainEndpoint endpoint = new DrainEndpoint();
        this.server = builder.host("127.0.0.1").port(0).service(endpoint).build().start();
        this.client = AsyncRpcClient.builder().address(this.server.address()).build();
        InPipe<Integer> pipe = InPipe.create();
        CompletableFuture<Integer> result = this.client.proxy(Drain.class).drain(pipe);
        String[] seen = new String[RUNS + 1];
        for (int i = 0; i < RUNS; i++) {
            seen[i] = endpoint.threads.poll(10, TimeUnit.SECONDS);
            pipe.push(i);
        }
        seen[RUNS] = endpoint.threads.poll(10, TimeUnit.SECONDS);
        pipe.close();
        assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo(RUNS);
        return List.of(seen);
    }

    @Test
    void afterTheWarmUpTheCallbacksOfAnAsynchronousImplementationRunOnTheEventLoop() throws Exception {
        // a limit no run reaches: where the runs go is tested here, demotion in InlineGateTests
        List<String> threads = threadsOfCallbacks(AsyncRpcServer.builder().inlineDispatchLimit(java.time.Duration.ofSeconds(5)));
        assertThat(threads.get(0)).as("the implementation itself").startsWith("asyncrpc-worker");
        assertThat(threads.subList(1, 33)).as("32 runs of warm-up").allSatisfy(t -> assertThat(t).startsWith("asyncrpc-worker"));
        assertThat(threads.subList(33, RUNS + 1)).allSatisfy(t -> assertThat(t).startsWith("asyncrpc-server"));
    }

    @Test
    void withInlineDispatchOffTheyRunOnWorkers() throws Exception {
        List<String> threads = threadsOfCallbacks(AsyncRpcServer.builder().inlineDispatchLimit(java.time.Duration.ZERO));
        assertThat(threads).allSatisfy(t -> assertThat(t).startsWith("asyncrpc-worker"));
    }
}
