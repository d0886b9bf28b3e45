package dev.asyncrpc.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.asyncrpc.AsyncCall;
import dev.asyncrpc.AsyncRemote;
import dev.asyncrpc.AsyncReply;
import dev.asyncrpc.AsyncRpcClient;
import dev.asyncrpc.AsyncRpcServer;
import dev.asyncrpc.InPipe;
import dev.asyncrpc.OutPipe;
import dev.asyncrpc.RemoteService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.adapter.JdkFlowAdapter;
import reactor.core.publisher.Flux;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The code of {@code docs/pipes.md}: every snippet between {@code // tag::name[]} and
 * {@code // end::name[]} here must appear in that page word for word (checked below), so the page
 * shows code that compiles and runs.
 */
class PipesGuideTests {

    public record Record(String sku, int count) {
    }

    public record Summary(int records, int units) {
    }

    public record Query(String prefix) {
    }

    public record Row(String sku, int level) {
    }

    // tag::contract[]
    @RemoteService("inventory")
    public interface Inventory {
        Summary upload(String batch, InPipe<Record> records);  // caller pushes records

        void export(Query q, OutPipe<Row> rows);                // implementer pushes rows
    }
    // end::contract[]

    // tag::async-contract[]
    @RemoteService("inventory")
    public interface InventoryAsync {
        @AsyncRemote
        CompletableFuture<Summary> upload(String batch, InPipe<Record> records);

        @AsyncRemote
        AsyncCall<Void> export(Query q, OutPipe<Row> rows);
    }
    // end::async-contract[]

    // tag::flux-contract[]
    @RemoteService("inventory")
    public interface InventoryReactive {
        @AsyncRemote
        Flux<Row> export(Query q);  // stands for the OutPipe<Row> parameter
    }
    // end::flux-contract[]

    // tag::plain-implementation[]
    static class InventoryEndpoint implements Inventory {

        @Override
        public Summary upload(String batch, InPipe<Record> records) {
            int n = 0;
            int units = 0;
            for (Record r : records) {       // blocks this worker thread until the next record or the end
                n++;
                units += r.count();
            }
            return new Summary(n, units);     // allowed: the pipe was read to its end
        }

        @Override
        public void export(Query q, OutPipe<Row> rows) {
            for (int i = 0; i < 1000; i++) {
                rows.push(new Row(q.prefix() + i, i)).toCompletableFuture().join();  // waits while there is no credit
            }
            rows.close();                     // the zero-element push; the reply follows the rows
        }
    }
    // end::plain-implementation[]

    // tag::async-implementation[]
    @RemoteService("inventory")
    public interface InventoryAsyncEndpoint {
        @AsyncRemote
        void upload(String batch, InPipe<Record> records, AsyncReply<Summary> reply);
    }

    static class AsyncInventoryEndpoint implements InventoryAsyncEndpoint {

        @Override
        public void upload(String batch, InPipe<Record> records, AsyncReply<Summary> reply) {
            new Runnable() {
                int n;
                int units;

                @Override
                public void run() {                       // holds no thread between chunks
                    while (true) {
                        List<Record> got = records.pull(100);   // never blocks
                        if (got.isEmpty()) {
                            if (records.isClosed()) {
                                reply.complete(new Summary(this.n, this.units));
                            }
                            else {
                                records.onAvailable(this);      // RpcReceiveComplete: call me when there is more
                            }
                            return;
                        }
                        for (Record r : got) {
                            this.n++;
                            this.units += r.count();
                        }
                    }
                }
            }.run();
        }
    }
    // end::async-implementation[]

    private AsyncRpcServer server;
    private AsyncRpcClient client;

    @BeforeEach
    void start() {
        this.server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(new InventoryEndpoint()).build().start();
        this.client = AsyncRpcClient.builder().address(this.server.address()).build();
    }

    @AfterEach
    void stop() {
        this.client.close();
        this.server.close();
    }

    @Test
    void plainCallerPushesBeforeCalling() {
        Inventory inventory = this.client.proxy(Inventory.class);
        // tag::plain-caller-in[]
        InPipe<Record> records = InPipe.create();
        records.push(new Record("A-1", 5), new Record("B-2", 7));  // held until the call is issued
        records.close();
        Summary summary = inventory.upload("batch-1", records);    // blocks until the reply
        // end::plain-caller-in[]
        assertThat(summary).isEqualTo(new Summary(2, 12));
    }

    @Test
    void plainCallerFeedsAPipeFromAPublisher() {
        Inventory inventory = this.client.proxy(Inventory.class);
        List<String> lines = List.of("A-1;5", "B-2;7", "C-3;1");
        // tag::plain-caller-publisher[]
        Flux<Record> parsed = Flux.fromIterable(lines).map(line -> {
            String[] f = line.split(";");
            return new Record(f[0], Integer.parseInt(f[1]));
        });
        InPipe<Record> records = InPipe.from(JdkFlowAdapter.publisherToFlowPublisher(parsed));  // requests as credit allows
        Summary summary = inventory.upload("batch-2", records);
        // end::plain-caller-publisher[]
        assertThat(summary).isEqualTo(new Summary(3, 13));
    }

    @Test
    void plainCallerConsumesAnOutPipeOnAnotherThread() {
        Inventory inventory = this.client.proxy(Inventory.class);
        // tag::plain-caller-out[]
        OutPipe<Row> rows = OutPipe.create();
        CompletableFuture<List<Row>> all = CompletableFuture.supplyAsync(() -> {
            List<Row> list = new ArrayList<>();
            rows.forEach(list::add);       // the blocking iterator, on another thread
            return list;
        });
        inventory.export(new Query("A-"), rows);  // returns after the last row was sent
        List<Row> exported = all.join();
        // end::plain-caller-out[]
        assertThat(exported).hasSize(1000).startsWith(new Row("A-0", 0));
    }

    @Test
    void asyncCallerPushesWithFlowControl() throws Exception {
        InventoryAsync inventory = this.client.proxy(InventoryAsync.class);
        List<Record> source = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            source.add(new Record("R-" + i, 1));
        }
        // tag::async-caller-in[]
        InPipe<Record> records = InPipe.create();
        CompletableFuture<Summary> summary = inventory.upload("batch-3", records);  // returns at once
        for (List<Record> chunk : partition(source, 500)) {
            records.push(chunk).toCompletableFuture().join();  // waits only while the window is full
        }
        records.close();
        // ... do other work; the summary arrives later
        Summary result = summary.get(30, TimeUnit.SECONDS);
        // end::async-caller-in[]
        assertThat(result).isEqualTo(new Summary(10_000, 10_000));
    }

    @Test
    void asyncCallerPushesWhenThePipeIsReady() throws Exception {
        InventoryAsync inventory = this.client.proxy(InventoryAsync.class);
        java.util.Iterator<Record> source = java.util.stream.IntStream.range(0, 10_000)
                .mapToObj(i -> new Record("R-" + i, 1)).iterator();
        // tag::async-caller-ready[]
        InPipe<Record> records = InPipe.create();
        CompletableFuture<Summary> summary = inventory.upload("batch-4", records);
        new Runnable() {
            @Override
            public void run() {                         // holds no thread while the window is full
                while (records.isReady() && source.hasNext()) {
                    records.push(source.next());        // accepted at once: there is room
                }
                if (source.hasNext()) {
                    records.onReady(this);              // call me when there is room again
                }
                else {
                    records.close();
                }
            }
        }.run();
        // end::async-caller-ready[]
        assertThat(summary.get(30, TimeUnit.SECONDS)).isEqualTo(new Summary(10_000, 10_000));
    }

    @Test
    void asyncCallerWaitsForSendComplete() throws Exception {
        InventoryAsync inventory = this.client.proxy(InventoryAsync.class);
        // tag::async-caller-sent[]
        InPipe<Record> records = InPipe.create();
        CompletableFuture<Summary> summary = inventory.upload("batch-5", records);
        records.push(new Record("S-1", 2), new Record("S-2", 3));
        records.whenSent().toCompletableFuture().get(30, TimeUnit.SECONDS);  // RPC_C_NOTIFY_ON_SEND_COMPLETE
        records.close();
        // end::async-caller-sent[]
        assertThat(summary.get(30, TimeUnit.SECONDS)).isEqualTo(new Summary(2, 5));
    }

    @Test
    void asyncCallerPullsAnOutPipe() throws Exception {
        InventoryAsync inventory = this.client.proxy(InventoryAsync.class);
        List<Row> received = new ArrayList<>();
        // tag::async-caller-out[]
        OutPipe<Row> rows = OutPipe.create();
        AsyncCall<Void> call = inventory.export(new Query("B-"), rows);
        CompletableFuture<Void> drained = new CompletableFuture<>();
        new Runnable() {
            @Override
            public void run() {
                List<Row> got;
                while (!(got = rows.pull(256)).isEmpty()) {
                    received.addAll(got);
                }
                if (rows.isClosed()) {
                    drained.complete(null);
                }
                else {
                    rows.onAvailable(this);
                }
            }
        }.run();
        drained.thenCompose(v -> call.toCompletableFuture()).get(30, TimeUnit.SECONDS);
        // end::async-caller-out[]
        assertThat(received).hasSize(1000).endsWith(new Row("B-999", 999));
    }

    @Test
    void reactiveCallerTakesAFlux() {
        InventoryReactive inventory = this.client.proxy(InventoryReactive.class);
        // tag::flux-caller[]
        List<Row> firstTen = inventory.export(new Query("C-"))
                .take(10)                    // cancelling the subscription cancels the call
                .collectList()
                .block();
        // end::flux-caller[]
        assertThat(firstTen).hasSize(10).startsWith(new Row("C-0", 0));
    }

    @Test
    void asyncImplementationCompletesWhenThePipeEnds() throws Exception {
        try (AsyncRpcServer asyncServer = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(new AsyncInventoryEndpoint()).build().start();
                AsyncRpcClient c = AsyncRpcClient.builder().address(asyncServer.address()).build()) {
            InPipe<Record> records = InPipe.create();
            CompletableFuture<Summary> summary = c.proxy(InventoryAsync.class).upload("b", records);
            records.push(List.of(new Record("a", 1), new Record("b", 2)));
            records.close();
            assertThat(summary.get(10, TimeUnit.SECONDS)).isEqualTo(new Summary(2, 3));
        }
    }

    @Test
    void everySnippetAppearsInTheGuide() throws IOException {
        String source = Files.readString(Path.of("src/test/java/dev/asyncrpc/docs/PipesGuideTests.java"));
        String guide = Files.readString(Path.of("../docs/pipes.md"));
        Matcher m = Pattern.compile("// tag::([a-z-]+)\\[\\]\\n(.*?)\\n\\s*// end::\\1\\[\\]", Pattern.DOTALL).matcher(source);
        int snippets = 0;
        while (m.find()) {
            String snippet = dedent(m.group(2));
            assertThat(guide).as("docs/pipes.md holds snippet '%s'", m.group(1)).contains(snippet);
            snippets++;
        }
        assertThat(snippets).isGreaterThanOrEqualTo(10);
    }

    private static String dedent(String block) {
        List<String> lines = block.lines().toList();
        int indent = lines.stream().filter(l -> !l.isBlank()).mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        return String.join("\n", lines.stream().map(l -> l.isBlank() ? "" : l.substring(indent)).toList());
    }

    private static <T> List<List<T>> partition(List<T> list, int size) {
        List<List<T>> parts = new ArrayList<>();
        for (int i = 0; i < list.size(); i += size) {
            parts.add(list.subList(i, Math.min(list.size(), i + size)));
        }
        return parts;
    }
}
