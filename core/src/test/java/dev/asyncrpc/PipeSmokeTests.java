package dev.asyncrpc;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PipeSmokeTests {

    @RemoteService("smoke")
    public interface Smoke {
        long sum(InPipe<Integer> numbers);

        void count(int n, OutPipe<Integer> numbers);
    }

    @RemoteService("smoke")
    public interface SmokeAsync {
        @AsyncRemote
        CompletableFuture<Long> sum(InPipe<Integer> numbers);

        @AsyncRemote
        CompletableFuture<Void> count(int n, OutPipe<Integer> numbers);
    }

    static final class Impl implements Smoke {
        @Override
        public long sum(InPipe<Integer> numbers) {
            long s = 0;
            for (int x : numbers) {
                s += x;
            }
            return s;
        }

        @Override
        public void count(int n, OutPipe<Integer> numbers) {
            for (int i = 0; i < n; i++) {
                numbers.push(i).toCompletableFuture().join();
            }
            numbers.close();
        }
    }

    @Test
    void smoke() throws Exception {
        try (AsyncRpcServer server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(new Impl()).build().start();
                AsyncRpcClient client = AsyncRpcClient.builder().address(server.address()).build()) {
            SmokeAsync s = client.proxy(SmokeAsync.class);
            InPipe<Integer> in = InPipe.create();
            CompletableFuture<Long> sum = s.sum(in);
            in.push(1, 2, 3);
            in.push(List.of(4, 5));
            in.close();
            assertThat(sum.get(10, TimeUnit.SECONDS)).isEqualTo(15L);

            OutPipe<Integer> out = OutPipe.create();
            CompletableFuture<Void> c = s.count(100, out);
            List<Integer> got = new ArrayList<>();
            for (int x : out) {
                got.add(x);
            }
            c.get(10, TimeUnit.SECONDS);
            assertThat(got).hasSize(100);
            assertThat(client.openPipes()).isEmpty();
            assertThat(server.openPipes()).isEmpty();
        }
    }
}
