package dev.asyncrpc.test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.asyncrpc.AsyncRemote;
import dev.asyncrpc.AsyncReply;
import dev.asyncrpc.InPipe;
import dev.asyncrpc.OutPipe;
import dev.asyncrpc.RemoteCallException;
import dev.asyncrpc.RemoteService;

/**
 * The pipe operations of the golden frames ({@code p/up}, {@code p/down}, {@code p/bytes},
 * {@code p/hold}) as the fuzz targets serve them, plus {@code p/sum}, which blocks a worker while it
 * iterates. The asynchronous ones never block, so they also run on an {@code EmbeddedChannel}'s
 * thread.
 */
@RemoteService("p")
public interface FuzzPipes {

    /** Sums the pipe, pulling as elements arrive. */
    @AsyncRemote
    void up(String tag, InPipe<Integer> xs, AsyncReply<Integer> reply);

    /** Pushes {@code 0 .. n-1} (at most 1,000) and closes. */
    void down(int n, OutPipe<Integer> xs);

    /** Counts the bytes of the chunks, pulling as they arrive. */
    @AsyncRemote
    void bytes(InPipe<byte[]> chunks, AsyncReply<Integer> reply);

    /** Never completes and never pulls: the call ends with its connection. */
    @AsyncRemote
    CompletableFuture<Integer> hold(InPipe<byte[]> chunks);

    /** Sums the pipe with its blocking iterator. */
    int sum(InPipe<Integer> xs);

    /** The implementation. */
    final class Endpoint implements FuzzPipes {

        @Override
        public void up(String tag, InPipe<Integer> xs, AsyncReply<Integer> reply) {
            drain(xs, x -> x, reply);
        }

        @Override
        public void down(int n, OutPipe<Integer> xs) {
            List<Integer> all = new ArrayList<>();
            for (int i = 0; i < Math.min(n, 1000); i++) {
                all.add(i);
            }
            if (!all.isEmpty()) {
                xs.push(all);
            }
            xs.close();
        }

        @Override
        public void bytes(InPipe<byte[]> chunks, AsyncReply<Integer> reply) {
            drain(chunks, c -> c.length, reply);
        }

        @Override
        public CompletableFuture<Integer> hold(InPipe<byte[]> chunks) {
            return new CompletableFuture<>();
        }

        @Override
        public int sum(InPipe<Integer> xs) {
            int sum = 0;
            for (int x : xs) {
                sum += x;
            }
            return sum;
        }

        private static <T> void drain(InPipe<T> pipe, java.util.function.ToIntFunction<T> size, AsyncReply<Integer> reply) {
            int[] total = new int[1];
            new Runnable() {
                @Override
                public void run() {
                    try {
                        while (true) {
                            List<T> got = pipe.pull(64);
                            if (got.isEmpty()) {
                                break;
                            }
                            for (T t : got) {
                                total[0] += size.applyAsInt(t);
                            }
                        }
                        if (pipe.isClosed()) {
                            reply.complete(total[0]);
                        }
                        else {
                            pipe.onAvailable(this);
                        }
                    }
                    catch (RemoteCallException ex) {
                        // the pipe failed (a bad element, a cancel, the connection) or completing broke the
                        // discipline: the call may have ended already, in which case there is nobody to tell
                        if (!reply.isDone()) {
                            try {
                                reply.abort(ex.status(), ex.description());
                            }
                            catch (IllegalStateException ended) {
                                // ended meanwhile
                            }
                        }
                    }
                }
            }.run();
        }
    }
}
